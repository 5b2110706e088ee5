package org.decency.checks.mimeattribs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.decency.config.ConfigNode;
import org.decency.message.MailMessage;
import org.decency.message.MessageEdits;

/**
 * The seeds' header changes, applied in their order: {@code add_header} (always adds),
 * {@code remove_header} (the mail's own fields of that name), {@code set_header}
 * (replaces when present, adds when missing) and {@code replace_header} (only when
 * present). In the values of the last two {@code %orig%} stands for the field's value
 * before (the first field of that name, unfolded; empty for a missing one). Changing
 * signed fields breaks DKIM signatures.
 */
record HeaderEdits(Map<String, String> add, List<String> remove, Map<String, String> set, Map<String, String> replace) {
    static final String ORIG = "%orig%";
    static final HeaderEdits NONE = new HeaderEdits(Map.of(), List.of(), Map.of(), Map.of());

    HeaderEdits {
        add = Collections.unmodifiableMap(new LinkedHashMap<>(add));
        remove = List.copyOf(remove);
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
        replace = Collections.unmodifiableMap(new LinkedHashMap<>(replace));
    }

    static HeaderEdits read(ConfigNode n) {
        List<String> remove = new ArrayList<>();
        for (ConfigNode item : n.child("remove_header").map(r -> r.isSequence() ? r.asList() : List.of(r)).orElse(List.of())) {
            remove.add(name(item, item.text()));
        }
        return new HeaderEdits(fields(n, "add_header"), remove, fields(n, "set_header"), fields(n, "replace_header"));
    }

    private static Map<String, String> fields(ConfigNode n, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        n.child(key).ifPresent(m -> m.mapping().forEach((name, value) -> {
            String v = value.isNull() ? "" : value.text();
            if (v.contains("\n") || v.contains("\r")) throw value.error("a header value must be one line");
            out.put(name(value, name), v);
        }));
        return out;
    }

    private static String name(ConfigNode where, String name) {
        String s = name.strip();
        if (!s.matches("[!-9;-~]+")) throw where.error("expected a header field name like X-Mailer, got \"" + name + "\"");
        return s;
    }

    boolean isEmpty() {
        return add.isEmpty() && remove.isEmpty() && set.isEmpty() && replace.isEmpty();
    }

    /** Records the changes for {@code mail} in {@code edits}; {@code %orig%} sees this module's own earlier changes. */
    void apply(MailMessage mail, MessageEdits edits) {
        Set<String> removed = new HashSet<>();
        Map<String, String> changed = new HashMap<>();
        add.forEach(edits::add);
        for (String name : remove) {
            edits.remove(name);
            removed.add(lower(name));
        }
        set.forEach((name, value) -> {
            String orig = current(mail, name, removed, changed);
            String v = value.replace(ORIG, orig == null ? "" : orig);
            edits.set(name, v);
            changed.put(lower(name), v);
        });
        replace.forEach((name, value) -> {
            String orig = current(mail, name, removed, changed);
            if (orig == null) return;
            String v = value.replace(ORIG, orig);
            edits.set(name, v);
            changed.put(lower(name), v);
        });
    }

    private static String current(MailMessage mail, String name, Set<String> removed, Map<String, String> changed) {
        String lower = lower(name);
        if (changed.containsKey(lower)) return changed.get(lower);
        if (removed.contains(lower)) return null;
        return mail.header(name).orElse(null);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
