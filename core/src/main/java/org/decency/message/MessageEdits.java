package org.decency.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The changes a run makes to a mail before it goes on: header fields to add on top (in
 * the order added: a DKIM signature, Authentication-Results, the X-Decency headers),
 * fields to remove, fields whose value is replaced (or added when missing), and a
 * subject prefix. The body is never changed here. Front doors apply the edits as they
 * pass the mail on (the Detective while reinjecting, the milter as modification replies).
 */
public final class MessageEdits {
    /** A field to add, or to set (replacing every field of that name). */
    public record Field(String name, String value) {}

    private final List<Field> added = new ArrayList<>();
    private final List<Field> set = new ArrayList<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private String subjectPrefix = "";

    /** Adds a field on top of the header. */
    public synchronized MessageEdits add(String name, String value) {
        added.add(new Field(name, value));
        return this;
    }

    /** Removes every field called {@code name} that came with the mail. */
    public synchronized MessageEdits remove(String name) {
        removed.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Replaces the fields called {@code name} with one of this value (added when missing). */
    public synchronized MessageEdits set(String name, String value) {
        set.removeIf(f -> f.name().equalsIgnoreCase(name));
        set.add(new Field(name, value));
        return this;
    }

    /** Puts {@code prefix} and a space before the Subject (once). */
    public synchronized MessageEdits prefixSubject(String prefix) {
        subjectPrefix = prefix;
        return this;
    }

    public synchronized List<Field> added() {
        return List.copyOf(added);
    }

    public synchronized List<Field> replaced() {
        return List.copyOf(set);
    }

    /** Lower-case names of the fields to remove. */
    public synchronized Set<String> removed() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    }

    public synchronized String subjectPrefix() {
        return subjectPrefix;
    }

    public synchronized boolean isEmpty() {
        return added.isEmpty() && set.isEmpty() && removed.isEmpty() && subjectPrefix.isEmpty();
    }
}
