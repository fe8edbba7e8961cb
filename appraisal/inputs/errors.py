"""The one error type for bad input: a list of problems, each naming file, row, column and rule."""


class InputError(Exception):
    """Raised when data or parameters break a declared rule. `problems` holds one line per problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
