package org.decency.detective.spool;

import java.nio.file.Path;

/** A mail in the spool's processing folder: its id, the mail file and its envelope. */
public record SpoolEntry(String id, Path mail, Path envelopeFile, SpooledEnvelope envelope) {}
