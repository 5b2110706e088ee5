package org.decency.checks.classifier.eval;

import java.nio.file.Path;

/** A mail of known class, with its tokens once they are read. */
public record LabelledMail(Path file, boolean spam, long[] tokens) {}
