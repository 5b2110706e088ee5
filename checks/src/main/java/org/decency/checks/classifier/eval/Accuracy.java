package org.decency.checks.classifier.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The figures a spam filter is judged by, from its answers on mails of known class: the
 * area under the ROC curve (the chance that a random spam ranks above a random ham; ties
 * count half), the spam recall at a given false-positive rate (the share of spam ranked
 * strictly above every ham but the allowed few), and the confusion matrix at the cutoffs.
 */
public final class Accuracy {
    private final double[] spamRanks;
    private final double[] hamRanks;
    private final List<Scored> all;

    public Accuracy(List<Scored> answers) {
        this.all = List.copyOf(answers);
        this.spamRanks = answers.stream().filter(Scored::spam).mapToDouble(Scored::rank).sorted().toArray();
        this.hamRanks = answers.stream().filter(s -> !s.spam()).mapToDouble(Scored::rank).sorted().toArray();
        if (spamRanks.length == 0 || hamRanks.length == 0) throw new IllegalArgumentException("needs spam and ham to measure");
    }

    public int spam() {
        return spamRanks.length;
    }

    public int ham() {
        return hamRanks.length;
    }

    /** Mann-Whitney U over spam × ham pairs. */
    public double auc() {
        double wins = 0;
        int lo = 0, hi = 0; // hams below / at-or-below the current spam rank
        for (double s : spamRanks) {
            while (lo < hamRanks.length && hamRanks[lo] < s) lo++;
            hi = Math.max(hi, lo);
            while (hi < hamRanks.length && hamRanks[hi] <= s) hi++;
            wins += lo + (hi - lo) / 2.0;
        }
        return wins / ((double) spamRanks.length * hamRanks.length);
    }

    /** The share of spam ranked strictly above the ham at which {@code fpRate} of the ham would be called spam. */
    public double spamRecallAtFalsePositives(double fpRate) {
        int allowed = (int) Math.floor(fpRate * hamRanks.length + 1e-9);
        if (allowed >= hamRanks.length) return 1;
        double threshold = hamRanks[hamRanks.length - 1 - allowed];
        int above = spamRanks.length - upperBound(spamRanks, threshold);
        return (double) above / spamRanks.length;
    }

    private static int upperBound(double[] sorted, double v) {
        int i = Arrays.binarySearch(sorted, v);
        if (i < 0) return -i - 1;
        while (i < sorted.length && sorted[i] == v) i++;
        return i;
    }

    /** {spam called spam, unsure, called ham} and the same for ham, at the cutoffs. */
    public long[][] confusion(double spamCutoff, double hamCutoff) {
        long[][] m = new long[2][3];
        for (Scored s : all) {
            int col = s.probability() >= spamCutoff ? 0 : s.probability() < hamCutoff ? 2 : 1;
            m[s.spam() ? 0 : 1][col]++;
        }
        return m;
    }

    public String report(double spamCutoff, double hamCutoff) {
        double auc = auc();
        long[][] m = confusion(spamCutoff, hamCutoff);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "mails: %d ham, %d spam%n", ham(), spam()));
        b.append(String.format(Locale.ROOT, "AUC %.6f   (1-AUC)%% %.4f%n", auc, 100 * (1 - auc)));
        b.append(String.format(Locale.ROOT, "spam recall at 0%% FP %.2f%%, at 0.1%% FP %.2f%%, at 1%% FP %.2f%%%n",
                100 * spamRecallAtFalsePositives(0), 100 * spamRecallAtFalsePositives(0.001), 100 * spamRecallAtFalsePositives(0.01)));
        if (all.stream().noneMatch(s -> Double.isNaN(s.finerRank()))) {
            Accuracy finer = new Accuracy(all.stream().map(s -> new Scored(s.spam(), s.probability(), s.finerRank())).toList());
            b.append(String.format(Locale.ROOT, "ranked by the model's own score instead (logistic: z; fisher: the log ratio of the chi-square tails, no ties at 0 and 1): "
                    + "AUC %.6f, (1-AUC)%% %.4f, spam recall at 0.1%% FP %.2f%%%n",
                    finer.auc(), 100 * (1 - finer.auc()), 100 * finer.spamRecallAtFalsePositives(0.001)));
        }
        b.append(String.format(Locale.ROOT, "at spam_cutoff %s, ham_cutoff %s:%n", spamCutoff, hamCutoff));
        b.append(String.format(Locale.ROOT, "%10s %12s %8s %11s%n", "", "called spam", "unsure", "called ham"));
        b.append(String.format(Locale.ROOT, "%10s %12d %8d %11d%n", "spam", m[0][0], m[0][1], m[0][2]));
        b.append(String.format(Locale.ROOT, "%10s %12d %8d %11d%n", "ham", m[1][0], m[1][1], m[1][2]));
        return b.toString();
    }
}
