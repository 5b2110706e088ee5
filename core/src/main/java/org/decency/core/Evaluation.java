package org.decency.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.decency.message.MessageEdits;

/**
 * The running state of one pipeline run: the scores so far, the flags set by
 * earlier checks, the messages for the sender, the threshold in force, and the
 * edits of the mail the checks ask for.
 * Not thread-safe; one run belongs to one thread at a time.
 */
public final class Evaluation {
    private final double threshold;
    private final List<Score> scores = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final Set<String> flags = new TreeSet<>();
    private final MessageEdits edits = new MessageEdits();
    private double total;

    public Evaluation(double threshold) {
        this.threshold = threshold;
    }

    public double total() {
        return total;
    }

    public double threshold() {
        return threshold;
    }

    /** True once the total reached the (negative) threshold: the mail is spam. */
    public boolean reachedThreshold() {
        return total <= threshold;
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    public void flag(String flag) {
        flags.add(flag);
    }

    public Set<String> flags() {
        return Collections.unmodifiableSet(flags);
    }

    /** What the checks want changed in the mail (headers, subject) before it goes on. */
    public MessageEdits edits() {
        return edits;
    }

    public List<Score> scores() {
        return Collections.unmodifiableList(scores);
    }

    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** Adds an outcome, each partial score multiplied by {@code weight}. */
    public void add(Outcome outcome, double weight) {
        for (Score s : outcome.scores()) {
            Score scaled = s.scaled(weight);
            scores.add(scaled);
            total += scaled.delta();
        }
        if (!outcome.message().isEmpty()) messages.add(outcome.message());
        flags.addAll(outcome.flags());
    }
}
