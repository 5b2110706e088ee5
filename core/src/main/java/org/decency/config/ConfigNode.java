package org.decency.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One node of a YAML configuration, with the file and line it came from, so every
 * error can name them. A mapping node remembers which keys were read: {@link #finish()}
 * then rejects every key nobody asked for, naming the keys that are known.
 *
 * <p>Readers ask for every key they understand, with its default, and call
 * {@code finish()} at the end; that is all the validation a config record needs.
 */
public final class ConfigNode {
    private final Path file;
    private final String path;
    private final Node node;
    private final int keyLine;
    private final Map<String, ConfigNode> entries;
    private final Set<String> read = new LinkedHashSet<>();

    private ConfigNode(Path file, String path, Node node, int keyLine, Map<String, ConfigNode> entries) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.keyLine = keyLine;
        this.entries = entries;
    }

    /** Wraps a parsed YAML node from {@code file}. */
    public static ConfigNode of(Path file, String path, Node node) {
        return of(file, path, node, node == null ? 0 : node.getStartMark().getLine() + 1);
    }

    static ConfigNode of(Path file, String path, Node node, int keyLine) {
        Map<String, ConfigNode> entries = null;
        if (node instanceof MappingNode m) {
            entries = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw ConfigException.at(file, line(t.getKeyNode()), path, "keys must be plain words");
                }
                String key = k.getValue();
                String childPath = path.isEmpty() ? key : path + "." + key;
                if (entries.containsKey(key)) {
                    throw ConfigException.at(file, line(k), childPath, "appears twice");
                }
                entries.put(key, of(file, childPath, t.getValueNode(), line(k)));
            }
        }
        return new ConfigNode(file, path, node, keyLine, entries);
    }

    /** An empty mapping, for a module given without settings. */
    public static ConfigNode empty(Path file, String path) {
        return new ConfigNode(file, path, null, 0, new LinkedHashMap<>());
    }

    /** A mapping made of the entries of several mappings, later ones winning (for {@code include:}). */
    public static ConfigNode merged(Path file, List<ConfigNode> parts) {
        Map<String, ConfigNode> all = new LinkedHashMap<>();
        for (ConfigNode p : parts) all.putAll(p.mapping());
        return new ConfigNode(file, "", null, 0, all);
    }

    /**
     * This mapping with the entries of {@code parent} under {@code keys} added where this
     * mapping has none of its own: a section of a file that shares the file's top-level
     * settings (the Defender's {@code doorman:} and {@code detective:} share its
     * {@code database:}, {@code logging:}, ...). The keys are marked as read in
     * {@code parent}; the new node reports errors as this one does and is finished on its own.
     */
    public ConfigNode inheriting(ConfigNode parent, List<String> keys) {
        Map<String, ConfigNode> all = new LinkedHashMap<>();
        for (String k : keys) {
            if (!mapping().containsKey(k)) parent.child(k).ifPresent(c -> all.put(k, c));
            else parent.has(k);
        }
        all.putAll(mapping());
        return new ConfigNode(file, path, node, keyLine, all);
    }

    static int line(Node n) {
        return n == null ? 0 : n.getStartMark().getLine() + 1;
    }

    public Path file() {
        return file;
    }

    /** The directory relative file names in this node are resolved against. */
    public Path dir() {
        Path parent = file == null ? null : file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    public String path() {
        return path;
    }

    public int line() {
        return node == null ? keyLine : line(node);
    }

    public boolean isMapping() {
        return entries != null;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    public boolean isNull() {
        return node == null || (node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null"));
    }

    /** The entries of a mapping, in file order. */
    public Map<String, ConfigNode> mapping() {
        if (entries == null) throw error("expected a mapping of keys to values");
        return Collections.unmodifiableMap(entries);
    }

    public boolean has(String key) {
        read.add(key);
        return entries != null && entries.containsKey(key) && !entries.get(key).isNull();
    }

    /** The child under {@code key}, marking it as read; empty when absent or null. */
    public Optional<ConfigNode> child(String key) {
        if (entries == null) throw error("expected a mapping of keys to values");
        read.add(key);
        ConfigNode c = entries.get(key);
        return c == null || c.isNull() ? Optional.empty() : Optional.of(c);
    }

    /** Like {@link #child} but the first key found among aliases wins (old and new seed names). */
    public Optional<ConfigNode> child(String key, String... aliases) {
        Optional<ConfigNode> c = child(key);
        for (String a : aliases) {
            Optional<ConfigNode> alt = child(a);
            if (c.isEmpty()) c = alt;
        }
        return c;
    }

    public ConfigNode required(String key) {
        return child(key).orElseThrow(() -> ConfigException.at(file, line(), key(key), "is required"));
    }

    /** The scalar text of this node. */
    public String text() {
        if (node instanceof ScalarNode s) return s.getValue();
        throw error("expected a single value, got a " + (isSequence() ? "list" : "mapping"));
    }

    public String string(String key, String def) {
        return child(key).map(ConfigNode::text).orElse(def);
    }

    public String requiredString(String key) {
        return required(key).text();
    }

    public boolean bool(String key, boolean def) {
        return child(key).map(ConfigNode::asBool).orElse(def);
    }

    public boolean asBool() {
        return switch (text().strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw error("expected true or false (or 1/0), got \"" + text() + "\"");
        };
    }

    public int integer(String key, int def) {
        return child(key).map(ConfigNode::asInt).orElse(def);
    }

    public int asInt() {
        try {
            return Integer.parseInt(text().strip());
        } catch (NumberFormatException e) {
            throw error("expected a whole number, got \"" + text() + "\"");
        }
    }

    public double number(String key, double def) {
        return child(key).map(ConfigNode::asNumber).orElse(def);
    }

    public double asNumber() {
        try {
            double d = Double.parseDouble(text().strip());
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw error("expected a number, got \"" + text() + "\"");
        }
    }

    public Duration duration(String key, Duration def) {
        return child(key).map(ConfigNode::asDuration).orElse(def);
    }

    public Duration asDuration() {
        return Durations.parse(text()).orElseThrow(() ->
                error("expected a duration like 300, 30s, 5m, 2h, 1d or 1w, got \"" + text() + "\""));
    }

    /** A list of strings; a single value counts as a list of one. */
    public List<String> strings(String key) {
        return child(key).map(ConfigNode::asStrings).orElse(List.of());
    }

    public List<String> asStrings() {
        if (isScalar()) return List.of(text());
        List<String> out = new ArrayList<>();
        for (ConfigNode c : asList()) out.add(c.text());
        return out;
    }

    /** The items of a sequence. */
    public List<ConfigNode> asList() {
        if (!(node instanceof SequenceNode seq)) throw error("expected a list");
        List<ConfigNode> out = new ArrayList<>();
        int i = 0;
        for (Node n : seq.getValue()) out.add(of(file, path + "[" + i++ + "]", n));
        return out;
    }

    public List<ConfigNode> list(String key) {
        return child(key).map(ConfigNode::asList).orElse(List.of());
    }

    /** Rejects any key of this mapping that no reader asked for. */
    public void finish() {
        if (entries == null) return;
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            if (!read.contains(e.getKey())) {
                String known = read.isEmpty() ? "no keys are allowed here" : "expected one of: " + String.join(", ", read);
                throw ConfigException.at(e.getValue().file, e.getValue().keyLine, e.getValue().path, "unknown key; " + known);
            }
        }
    }

    /** An error located at this node. */
    public ConfigException error(String problem) {
        return ConfigException.at(file, line(), path, problem);
    }

    private String key(String k) {
        return path.isEmpty() ? k : path + "." + k;
    }
}
