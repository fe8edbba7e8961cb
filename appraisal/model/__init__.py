"""The model: the Green Book appraisal, attribution to councils, Monte Carlo, sensitivity and the reference class."""
