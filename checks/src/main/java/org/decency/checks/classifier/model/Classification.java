package org.decency.checks.classifier.model;

/**
 * What the model says of a mail.
 *
 * @param probability the spam probability, 0 (ham) to 1 (spam): Fisher/Robinson's combined indicator
 * @param rank        a finer measure in the same direction, for ranking mails whose probability is
 *                    0 or 1 alike: the log of the ham tail's probability minus that of the spam tail
 * @param tokens      how many of the mail's tokens were telling enough to count
 */
public record Classification(double probability, double rank, int tokens) {}
