package org.decency.message;

import java.util.List;

/**
 * A mail's parsed MIME structure: the root part, and what the parser gave up on
 * because a configured limit was reached (parts, depth, bytes), so a check can score
 * an oversized or hostile mail instead of the parser being made to work without end.
 */
public record MimeStructure(MimePart root, int partCount, int maxDepth, List<String> limitsReached) {

    public MimeStructure {
        limitsReached = List.copyOf(limitsReached);
    }

    /** Every part, depth first. */
    public List<MimePart> parts() {
        return root.all();
    }

    /** The leaf parts that carry a file name or are declared attachments. */
    public List<MimePart> attachments() {
        return parts().stream().filter(p -> !p.isMultipart()
                && (!p.filename().isEmpty() || p.disposition().equals("attachment"))).toList();
    }

    /** Every defect found, of every part. */
    public List<String> defects() {
        return parts().stream().flatMap(p -> p.defects().stream()).toList();
    }
}
