package org.decency.defender;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.decency.defender.milter.Milter;
import org.decency.defender.milter.MilterReply;
import org.decency.defender.milter.Negotiation;
import org.decency.defender.milter.Wire;
import org.decency.detective.ResultHeaders;
import org.decency.message.MessageEdits;

/**
 * Turns what the checks want changed in the mail into milter modifications at the end
 * of the body, so the mail Postfix queues looks as the Detective would have passed it
 * on: the X-Decency fields a sender wrote himself are deleted, fields the checks remove
 * are deleted (every occurrence, the last first, so the indexes stay right), fields they
 * set are changed (the first) or added, the subject gets its prefix, fields the checks
 * add on top (DKIM-Signature, Authentication-Results, the Doorman's PREPENDs) are
 * inserted on top in their order, and the X-Decency result fields are appended.
 */
final class HeaderEdits {

    /** What the message's own header holds: how often each field occurs, and the first Subject as sent. */
    static final class Census {
        private final Map<String, Integer> counts = new HashMap<>();
        private final Map<String, String> spellings = new HashMap<>();
        private String subject;

        void add(String name, String value) {
            String lower = name.toLowerCase(Locale.ROOT);
            counts.merge(lower, 1, Integer::sum);
            spellings.putIfAbsent(lower, name);
            if (subject == null && lower.equals("subject")) subject = value;
        }

        /** The name as the mail first wrote it ({@code Received-SPF}), or {@code fallback}. */
        String spelling(String name, String fallback) {
            return spellings.getOrDefault(name.toLowerCase(Locale.ROOT), fallback);
        }

        int count(String name) {
            return counts.getOrDefault(name.toLowerCase(Locale.ROOT), 0);
        }

        /** The first Subject's value as a wire string, or null when the mail has none. */
        String subject() {
            return subject;
        }
    }

    private HeaderEdits() {}

    /**
     * @param checks       the edits the checks asked for (the run's)
     * @param onTop        fields to put on top before the checks' own (the Doorman's PREPENDs)
     * @param results      the X-Decency result fields, appended
     * @param prefix       the subject prefix ("" for none)
     * @param warn         told once per kind of edit the MTA does not allow
     */
    static List<MilterReply> render(MessageEdits checks, List<MessageEdits.Field> onTop, List<MessageEdits.Field> results,
                                    String prefix, Census census, Negotiation n, Consumer<String> warn) {
        List<MilterReply> out = new ArrayList<>();
        boolean space = n.leadingSpace();
        boolean change = n.allows(Milter.SMFIF_CHGHDRS);
        boolean add = n.allows(Milter.SMFIF_ADDHDRS);
        Set<String> replaced = new LinkedHashSet<>();
        for (MessageEdits.Field f : checks.replaced()) replaced.add(f.name().toLowerCase(Locale.ROOT));

        Set<String> removed = new LinkedHashSet<>();
        for (String h : ResultHeaders.OWN) removed.add(h.toLowerCase(Locale.ROOT));
        removed.addAll(checks.removed());
        removed.removeAll(replaced); // a field that is set is written once, not removed
        List<MilterReply> changes = new ArrayList<>();
        for (String name : removed) {
            String proper = census.spelling(name, properName(name));
            for (int i = census.count(name); i >= 1; i--) changes.add(MilterReply.ChangeHeader.delete(i, proper));
        }

        boolean prefixed = prefix.isEmpty();
        List<MilterReply> adds = new ArrayList<>();
        for (MessageEdits.Field f : checks.replaced()) {
            String value = f.value();
            if (!prefixed && f.name().equalsIgnoreCase("subject")) {
                value = prefix + " " + value;
                prefixed = true;
            }
            int k = census.count(f.name());
            if (k == 0) {
                adds.add(new MilterReply.AddHeader(f.name(), value(value, space)));
            } else {
                for (int i = k; i >= 2; i--) changes.add(MilterReply.ChangeHeader.delete(i, f.name()));
                changes.add(new MilterReply.ChangeHeader(1, f.name(), value(value, space)));
            }
        }
        if (!prefixed) {
            String original = census.subject();
            if (original == null || removed.contains("subject")) {
                adds.add(new MilterReply.AddHeader("Subject", value(prefix, space)));
            } else {
                String rest = original.stripLeading();
                changes.add(new MilterReply.ChangeHeader(1, "Subject", (space ? " " : "") + Wire.of(prefix) + (rest.isEmpty() ? "" : " " + rest)));
            }
        }

        int index = 0;
        List<MilterReply> inserts = new ArrayList<>();
        for (MessageEdits.Field f : onTop) inserts.add(new MilterReply.InsertHeader(index++, f.name(), value(f.value(), space)));
        for (MessageEdits.Field f : checks.added()) inserts.add(new MilterReply.InsertHeader(index++, f.name(), value(f.value(), space)));
        for (MessageEdits.Field f : results) adds.add(new MilterReply.AddHeader(f.name(), value(f.value(), space)));

        if (change) out.addAll(changes);
        else if (!changes.isEmpty()) warn.accept("the MTA does not allow header changes (SMFIF_CHGHDRS): " + changes.size() + " left out");
        if (add) {
            out.addAll(inserts);
            out.addAll(adds);
        } else if (!inserts.isEmpty() || !adds.isEmpty()) {
            warn.accept("the MTA does not allow adding header fields (SMFIF_ADDHDRS): " + (inserts.size() + adds.size()) + " left out");
        }
        return out;
    }

    /** A text value as a wire string, with the leading space the MTA expects when it keeps its own. */
    private static String value(String text, boolean space) {
        return (space ? " " : "") + Wire.of(text);
    }

    /** {@code x-decency-score} as the field is usually written, {@code X-Decency-Score} (the MTA matches names in any case). */
    private static String properName(String lower) {
        for (String own : ResultHeaders.OWN) if (own.equalsIgnoreCase(lower)) return own;
        return lower;
    }
}
