package org.decency.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;
import org.decency.core.Transaction;

/**
 * Skips a module for given recipients, senders or clients ({@code exclusions:}).
 * Sources: {@code modules: {Greylist: {to_domain: [...]}}}, a {@code file:} of
 * {@code type:module:value} lines, and a {@code dir:} of {@code <type>/<module>.txt}.
 * Types: {@code to}, {@code to_domain}, {@code from}, {@code from_domain},
 * {@code client_ip} (an address or CIDR), and the old names {@code recipient_address},
 * {@code recipient_domain}, {@code sender_address}, {@code sender_domain}.
 * A domain also excludes its sub-domains. Values and module names match whatever their case.
 */
public final class Exclusions {

    enum Type { TO, TO_DOMAIN, FROM, FROM_DOMAIN, CLIENT_IP }

    private final Map<String, Map<Type, Set<String>>> values = new HashMap<>();
    private final Map<String, List<Cidr>> networks = new HashMap<>();

    public static Exclusions none() {
        return new Exclusions();
    }

    static Type type(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "to", "recipient_address", "recipient" -> Type.TO;
            case "to_domain", "recipient_domain" -> Type.TO_DOMAIN;
            case "from", "sender_address", "sender" -> Type.FROM;
            case "from_domain", "sender_domain" -> Type.FROM_DOMAIN;
            case "client_ip", "client_address", "ip" -> Type.CLIENT_IP;
            default -> null;
        };
    }

    private static final String TYPES = "to, to_domain, from, from_domain, client_ip";

    public static Exclusions read(ConfigNode section) {
        Exclusions ex = new Exclusions();
        section.child("modules").ifPresent(mods -> mods.mapping().forEach((module, types) ->
                types.mapping().forEach((typeName, list) -> {
                    Type t = type(typeName);
                    if (t == null) throw list.error("unknown exclusion type; expected one of: " + TYPES);
                    for (ConfigNode v : list.isScalar() ? List.of(list) : list.asList()) ex.add(module, t, v.text(), v::error);
                })));
        section.child("file").ifPresent(f -> ex.readFile(section.dir().resolve(f.text()), f));
        section.child("dir").ifPresent(d -> ex.readDir(section.dir().resolve(d.text()), d));
        if (section.bool("database", false)) {
            throw section.required("database").error("exclusions from the database are not available yet; use modules:, file: or dir:");
        }
        section.finish();
        return ex;
    }

    /** Module names match whatever their case, as they do in {@code modules:}. */
    private static String key(String module) {
        return module.strip().toLowerCase(Locale.ROOT);
    }

    /** {@code error} makes the located error for a problem with this value. */
    private void add(String module, Type t, String raw, Function<String, ConfigException> error) {
        String v = raw.strip().toLowerCase(Locale.ROOT);
        if (t == Type.CLIENT_IP) {
            Cidr c = Cidr.parse(v).orElseThrow(() -> error.apply("expected an IP address or CIDR network, got \"" + raw.strip() + "\""));
            networks.computeIfAbsent(key(module), k -> new ArrayList<>()).add(c);
        } else {
            if (v.startsWith("@")) v = v.substring(1);
            values.computeIfAbsent(key(module), k -> new HashMap<>()).computeIfAbsent(t, k -> new HashSet<>()).add(v);
        }
    }

    private static Function<String, ConfigException> at(Path file, int line) {
        return problem -> ConfigException.at(file, line, "", problem);
    }

    private void readFile(Path file, ConfigNode where) {
        List<String> lines = readLines(file, where);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] p = line.split(":", 3);
            Type t = p.length == 3 ? type(p[0]) : null;
            if (t == null) {
                throw ConfigException.at(file, i + 1, "", "expected type:module:value with type one of " + TYPES + ", got \"" + line + "\"");
            }
            add(p[1], t, p[2], at(file, i + 1));
        }
    }

    private void readDir(Path dir, ConfigNode where) {
        if (!Files.isDirectory(dir)) throw where.error("not a directory: " + dir);
        try (var typeDirs = Files.list(dir)) {
            for (Path typeDir : typeDirs.filter(Files::isDirectory).toList()) {
                Type t = type(typeDir.getFileName().toString());
                if (t == null) throw where.error("unknown exclusion type directory " + typeDir + "; expected one of: " + TYPES);
                try (var files = Files.list(typeDir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                        String module = f.getFileName().toString().replaceFirst("\\.txt$", "");
                        List<String> lines = readLines(f, where);
                        for (int i = 0; i < lines.size(); i++) {
                            String line = lines.get(i);
                            if (!line.isBlank() && !line.strip().startsWith("#")) add(module, t, line, at(f, i + 1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw where.error("cannot read " + dir + ": " + e.getMessage());
        }
    }

    private static List<String> readLines(Path file, ConfigNode where) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw where.error("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** True when {@code module} must be skipped for this transaction. */
    public boolean excludes(String module, Transaction tx) {
        if (values.isEmpty() && networks.isEmpty()) return false;
        Map<Type, Set<String>> byType = values.get(key(module));
        if (byType != null) {
            if (contains(byType.get(Type.TO), tx.recipient().normalized())) return true;
            if (containsDomain(byType.get(Type.TO_DOMAIN), tx.recipient().domain())) return true;
            if (contains(byType.get(Type.FROM), tx.sender().normalized())) return true;
            if (containsDomain(byType.get(Type.FROM_DOMAIN), tx.sender().domain())) return true;
        }
        List<Cidr> nets = networks.get(key(module));
        if (nets != null) {
            IpAddress ip = tx.connection().ip();
            for (Cidr c : nets) if (c.contains(ip)) return true;
        }
        return false;
    }

    private static boolean contains(Set<String> set, String v) {
        return set != null && !v.isEmpty() && set.contains(v);
    }

    static boolean containsDomain(Set<String> set, String domain) {
        if (set == null || domain.isEmpty()) return false;
        for (String d = domain; ; ) {
            if (set.contains(d)) return true;
            int dot = d.indexOf('.');
            if (dot < 0) return false;
            d = d.substring(dot + 1);
        }
    }
}
