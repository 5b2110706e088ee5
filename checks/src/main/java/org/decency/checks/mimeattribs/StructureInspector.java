package org.decency.checks.mimeattribs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.decency.checks.support.ByteSizes;
import org.decency.message.MimePart;
import org.decency.message.MimeStructure;

/**
 * What the structure as a whole shows: too many parts, parts nested too deep, too many
 * attachment bytes, and what the parser found broken. Where the parser stopped at one
 * of its own limits (see the Detective's {@code mime:} settings) the matching rule
 * fires whatever its {@code max}: the mail is at least that big.
 */
final class StructureInspector {
    private static final int DEFECTS_SHOWN = 3;

    private final MimeAttribsConfig config;

    StructureInspector(MimeAttribsConfig config) {
        this.config = config;
    }

    List<Finding> inspect(MimeStructure s, List<MimePart> parts) {
        List<Finding> out = new ArrayList<>();
        List<String> reached = s.limitsReached();
        String partsLimit = find(reached, l -> l.endsWith(" parts"));
        long maxParts = config.rule(MimeRule.TOO_MANY_PARTS).max();
        if (partsLimit != null) out.add(new Finding(MimeRule.TOO_MANY_PARTS, partsLimit + " (the parser stopped there)"));
        else if (s.partCount() > maxParts) out.add(new Finding(MimeRule.TOO_MANY_PARTS, s.partCount() + " parts (max " + maxParts + ")"));

        String depthLimit = find(reached, l -> l.startsWith("parts nested"));
        long maxDepth = config.rule(MimeRule.TOO_DEEP).max();
        if (depthLimit != null) out.add(new Finding(MimeRule.TOO_DEEP, depthLimit + " (the parser stopped there)"));
        else if (s.maxDepth() > maxDepth) out.add(new Finding(MimeRule.TOO_DEEP, "parts nested " + s.maxDepth() + " deep (max " + maxDepth + ")"));

        long bytes = 0;
        for (MimePart p : parts) if (isAttachment(p)) bytes += p.size();
        String bytesLimit = find(reached, l -> l.endsWith(" bytes"));
        long maxBytes = config.rule(MimeRule.TOO_LARGE).max();
        if (bytesLimit != null) out.add(new Finding(MimeRule.TOO_LARGE, "the mail has " + bytesLimit + " (the parser stopped there)"));
        else if (bytes > maxBytes) out.add(new Finding(MimeRule.TOO_LARGE, "attachments of " + bytes + " bytes (max " + ByteSizes.format(maxBytes) + ")"));

        List<String> defects = s.defects();
        if (!defects.isEmpty()) {
            List<String> distinct = defects.stream().distinct().limit(DEFECTS_SHOWN).toList();
            String shown = String.join("; ", distinct);
            out.add(new Finding(MimeRule.MALFORMED, defects.size() + (defects.size() == 1 ? " defect: " : " defects: ") + shown));
        }
        return out;
    }

    private static boolean isAttachment(MimePart p) {
        return !p.isMultipart() && (!p.filename().isEmpty() || p.disposition().equals("attachment"));
    }

    private static String find(List<String> reached, Predicate<String> which) {
        return reached.stream().filter(which).findFirst().orElse(null);
    }
}
