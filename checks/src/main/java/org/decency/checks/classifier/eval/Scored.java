package org.decency.checks.classifier.eval;

/**
 * One test mail's answer.
 *
 * @param spam        what the mail is
 * @param probability the classifier's spam probability, for the confusion matrix at the cutoffs
 * @param rank        what the ranking figures (AUC, recall at a false-positive rate) sort by: the
 *                    probability, as for another filter's spamicity, so both are measured alike
 * @param finerRank   the Classifier model's own score: the logistic z, or Fisher's log ratio of the two
 *                    chi-square tails, which also orders mails whose probability is exactly 0 or 1
 *                    (NaN for another filter)
 */
public record Scored(boolean spam, double probability, double rank, double finerRank) {

    public Scored(boolean spam, double probability, double rank) {
        this(spam, probability, rank, Double.NaN);
    }
}
