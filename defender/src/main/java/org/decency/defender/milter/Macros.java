package org.decency.defender.milter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The macros the MTA sent ({@code SMFIC_MACRO}), kept per command they came with: the
 * connect macros ({@code j}, {@code {daemon_name}}), HELO's ({@code {tls_version}},
 * {@code {cipher}}), MAIL's ({@code i}, {@code {auth_authen}}), RCPT's, and so on. New
 * macros for a command replace that command's old ones; the message's macros are dropped
 * when the message ends, all of them when the connection does. Names are looked up with
 * or without braces: {@code i} and {@code {i}} are the same macro. Values are wire strings.
 */
public final class Macros {
    private final Map<Byte, Map<String, String>> byCommand = new LinkedHashMap<>();

    /** The macros that come with {@code command}, replacing those it had. */
    void define(byte command, Map<String, String> macros) {
        Map<String, String> m = new LinkedHashMap<>();
        macros.forEach((k, v) -> m.put(bare(k), v));
        byCommand.remove(command);
        byCommand.put(command, m);
    }

    /** Forgets the macros of these commands. */
    void clear(byte... commands) {
        for (byte c : commands) byCommand.remove(c);
    }

    void clearAll() {
        byCommand.clear();
    }

    /** The value of {@code name}, the latest definition first; empty when the MTA sent none. */
    public String get(String name) {
        String key = bare(name);
        List<Map<String, String>> stages = new ArrayList<>(byCommand.values());
        for (int i = stages.size() - 1; i >= 0; i--) {
            String v = stages.get(i).get(key);
            if (v != null) return v;
        }
        return "";
    }

    /** Every macro known now (the latest definition of each), names without braces. */
    public Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> m : byCommand.values()) out.putAll(m);
        return Collections.unmodifiableMap(out);
    }

    private static String bare(String name) {
        return name.length() > 2 && name.startsWith("{") && name.endsWith("}") ? name.substring(1, name.length() - 1) : name;
    }
}
