"""Discounting follows the Green Book: 3.5% real, year 0 undiscounted."""
import numpy as np
import pytest

from appraisal.model.savings import discount_factors


def test_green_book_example_1000_pounds_is_worth_966_in_year_1_and_709_in_year_10():
    factors = discount_factors(0.035, 11)[0]
    assert round(1000 * factors[1]) == 966
    assert round(1000 * factors[10]) == 709


def test_year_zero_is_not_discounted():
    assert discount_factors(0.035, 3)[0][0] == 1.0


def test_zero_rate_gives_no_discounting():
    assert np.all(discount_factors(0.0, 5) == 1.0)


def test_factors_are_computed_for_each_draw_of_the_rate():
    factors = discount_factors(np.array([0.0, 0.1]), 2)
    assert factors.shape == (2, 2)
    assert factors[1, 1] == pytest.approx(1 / 1.1)
