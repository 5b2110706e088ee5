package org.decency.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads YAML config files into {@link ConfigNode}s. Handles {@code include:} (a file or
 * a list; each included file is merged over the including one, key by key) and
 * module configs kept in files of their own.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Loads a server config with its includes, as one mapping. */
    public static ConfigNode load(Path file) {
        return load(file, 0);
    }

    private static ConfigNode load(Path file, int depth) {
        ConfigNode root = loadFile(file, "");
        if (!root.isMapping()) throw root.error("the top of a config file must be a mapping of keys to values");
        if (depth > 8) throw root.error("include nesting deeper than 8 (a loop?)");
        List<ConfigNode> parts = new ArrayList<>();
        parts.add(root);
        for (ConfigNode inc : root.child("include").map(n -> n.isScalar() ? List.of(n) : n.asList()).orElse(List.of())) {
            Path included = root.dir().resolve(inc.text());
            if (!Files.exists(included)) throw inc.error("file not found: " + included);
            parts.add(load(included, depth + 1));
        }
        ConfigNode merged = ConfigNode.merged(file, parts);
        merged.has("include");
        return merged;
    }

    /** Parses one YAML file; an empty file is an empty mapping. */
    public static ConfigNode loadFile(Path file, String path) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LoaderOptions opts = new LoaderOptions();
            opts.setMaxAliasesForCollections(20);
            opts.setAllowDuplicateKeys(true); // ConfigNode reports duplicates with their line
            opts.setCodePointLimit(16 * 1024 * 1024);
            Node node = new Yaml(new SafeConstructor(opts)).compose(r);
            return node == null ? ConfigNode.empty(file, path) : ConfigNode.of(file, path, node);
        } catch (NoSuchFileException e) {
            throw ConfigException.at(file, 0, path, "file not found");
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw ConfigException.at(file, line, path, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw ConfigException.at(file, 0, path, "not valid YAML: " + e.getMessage());
        } catch (IOException e) {
            throw ConfigException.at(file, 0, path, "cannot read: " + e.getMessage());
        }
    }
}
