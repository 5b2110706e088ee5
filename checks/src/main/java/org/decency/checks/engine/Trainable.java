package org.decency.checks.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A check whose engine learns (Bogofilter, CRM114, SpamAssassin's Bayes, DSPAM): {@code
 * decency train spam|ham FILE...} and HoneyCollector's {@code train: 1} hand it mails
 * known to be spam or ham, and {@code --forget} takes a lesson back.
 */
public interface Trainable {

    /** What the mail is known to be. */
    enum Lesson { SPAM, HAM }

    /**
     * Teaches the engine that the mail in {@code mail} (a raw RFC 5322 file) is {@code
     * lesson}, or with {@code forget} undoes that lesson.
     *
     * @param user whose model learns; empty: the module's {@code default_user}, else the engine's own default
     * @throws IOException when the engine cannot be reached or refuses the lesson (the message says why)
     */
    void train(Path mail, String user, Lesson lesson, boolean forget) throws IOException;

    /**
     * True when the lessons are kept in Decency's store (the Classifier), not by an outside
     * engine: {@code decency train} then opens the configured store instead of a throwaway one.
     */
    default boolean keepsLessonsInStore() {
        return false;
    }
}
