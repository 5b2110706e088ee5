package org.decency.checks.classifier.model;

/**
 * What the model says of a mail.
 *
 * @param probability the spam probability, 0 (ham) to 1 (spam)
 * @param rank        the model's own score, in the same direction: the logistic model's {@code z}
 *                    (the probability is {@code 1 / (1 + e^-z)}); for Fisher's method, which gives
 *                    many mails a probability of exactly 0, 0.5 or 1, the log of the ham tail's
 *                    probability minus that of the spam tail
 * @param tokens      how many of the mail's tokens were telling enough to count
 */
public record Classification(double probability, double rank, int tokens) {}
