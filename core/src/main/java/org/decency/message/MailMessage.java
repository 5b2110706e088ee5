package org.decency.message;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A whole mail, for the checks of the MESSAGE stage (the Detective, the milter's end of
 * body). Kept on disk in the spool: a check reads it as a stream ({@link #open}) or asks
 * for its header fields and MIME structure, which are parsed once and shared.
 */
public interface MailMessage {

    /** Bytes of the mail as received. */
    long size();

    /** The mail as received: header, blank line, body; line ends as they came (CRLF from SMTP). */
    InputStream open() throws IOException;

    /** The top-level header fields, in order. */
    List<HeaderField> headers();

    /** The MIME structure, parsed on first use within the configured limits. */
    MimeStructure structure();

    /** The first field called {@code name} (any case), unfolded. */
    default Optional<String> header(String name) {
        for (HeaderField f : headers()) if (f.is(name)) return Optional.of(f.value());
        return Optional.empty();
    }

    /** Every field called {@code name}, in order. */
    default List<HeaderField> headers(String name) {
        return headers().stream().filter(f -> f.is(name)).toList();
    }
}
