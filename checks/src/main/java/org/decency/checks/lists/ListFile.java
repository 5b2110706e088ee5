package org.decency.checks.lists;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.decency.config.ConfigException;
import org.decency.store.ListEntry;
import org.decency.store.ListEntry.Kind;

/**
 * Reads a list file: one entry per line, {@code <table> <to_domain> <value> [<value> ...]},
 * e.g. {@code ips * 192.0.2.0/24}, {@code domains example.org spam.example},
 * {@code addresses * bad@example.net}. {@code #} starts a comment; blank lines are skipped.
 * A bad line is a {@link ConfigException} naming the file and line.
 */
final class ListFile {
    private ListFile() {}

    static List<ListEntry> read(Path file, String listName) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.at(file, 0, "", "cannot read the list file: " + e.getMessage());
        }
        List<ListEntry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            int lineNo = i + 1;
            String[] f = line.split("\\s+");
            if (f.length < 3) {
                throw ConfigException.at(file, lineNo, "", "expected \"<ips|domains|addresses> <to_domain or *> <value>...\", got \"" + line + "\"");
            }
            try {
                Kind kind = Kind.parse(f[0]);
                String toDomain = ListValues.toDomain(f[1]);
                for (int v = 2; v < f.length; v++) {
                    out.add(new ListEntry(listName, kind, toDomain, ListValues.normalize(kind, f[v])));
                }
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(file, lineNo, "", e.getMessage());
            }
        }
        return out;
    }
}
