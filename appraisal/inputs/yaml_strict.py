"""Reading YAML strictly: PyYAML's safe loader, but a key given twice in one mapping, at any depth, is
an error naming the key and both lines (plain PyYAML keeps the last value silently). Errors are one line.

Anchors and aliases stay allowed: PyYAML's own dump writes them for a value used twice. An alias is a
reference, not a copy, and messages quote values with a length limit, so a nested alias cannot blow up.
"""
import yaml


class YamlProblem(Exception):
    """A YAML text that cannot be read: `line` (from 1, or None) and a one-line reason."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason, self.line = reason, line
        super().__init__(f"line {line}: {reason}" if line else reason)


# libyaml's parser where PyYAML was built with it (its wheels are): the same documents, read about ten
# times faster than by the pure Python parser.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictSafeLoader(SafeLoader):
    """A safe loader that refuses a key repeated in one mapping."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first_line = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    earlier = first_line.get(key)
                except TypeError:  # an unhashable key: the base class reports it
                    continue
                line = key_node.start_mark.line + 1
                if earlier is not None:
                    raise YamlProblem(f"key '{key}' appears twice (lines {earlier} and {line}); "
                                      "each key may be given only once", line)
                first_line[key] = line
        return super().construct_mapping(node, deep)


def _one_line(exc: yaml.YAMLError) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None)
    if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's limit: said as for the Python parser
        return YamlProblem("not valid YAML: nested too deeply")
    if isinstance(exc, yaml.MarkedYAMLError) and mark is not None:
        context = f" ({exc.context})" if exc.context else ""
        return YamlProblem(f"not valid YAML: {exc.problem}{context} at column {mark.column + 1}", mark.line + 1)
    return YamlProblem(f"not valid YAML: {' '.join(str(exc).split())}")


def load(text: str):
    """The value of a YAML document; YamlProblem if it cannot be read or breaks the rules above."""
    try:
        return yaml.load(text, Loader=StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise _one_line(exc) from None
    except RecursionError:
        raise YamlProblem("not valid YAML: nested too deeply") from None
