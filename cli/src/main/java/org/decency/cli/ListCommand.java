package org.decency.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.decency.config.ConfigLoader;
import org.decency.core.Cidr;
import org.decency.store.ListEntry;
import org.decency.store.ListStore;
import org.decency.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code decency list add|remove|show cwl|cbl ips|domains|addresses [VALUE]}: edits the
 * custom lists in the database a running Doorman reads (it notices within a second).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Add, remove or show entries of the custom white (cwl) and black (cbl) lists.")
final class ListCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "add, remove or show")
    String verb;

    @Parameters(index = "1", description = "cwl or cbl")
    String list;

    @Parameters(index = "2", description = "ips, domains or addresses")
    String kind;

    @Parameters(index = "3", arity = "0..1", description = "the IP/CIDR, domain or address (not for show)")
    String value;

    @Option(names = {"-t", "--to-domain"}, defaultValue = "*", description = "recipient domain the entry is for (default: * = all)")
    String toDomain;

    @Option(names = {"-c", "--config"}, defaultValue = "${env:DECENCY_HOME:-.}/config/doorman.yml",
            description = "the config naming the database (default: ${DEFAULT-VALUE})")
    Path config;

    @Override
    public Integer call() throws Exception {
        String l = list.toLowerCase(Locale.ROOT);
        if (!l.equals("cwl") && !l.equals("cbl")) return usage("expected cwl or cbl, got \"" + list + "\"");
        ListEntry.Kind k;
        try {
            k = ListEntry.Kind.parse(kind);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        StoreConfig sc = StoreConfig.read(ConfigLoader.load(config));
        try (StoreConfig.Lists opened = sc.openLists()) {
            ListStore lists = opened.lists();
            switch (verb.toLowerCase(Locale.ROOT)) {
                case "show" -> {
                    for (ListEntry e : lists.entries(l)) {
                        if (e.kind() == k) System.out.println(e.toDomain() + "\t" + e.value());
                    }
                    return 0;
                }
                case "add", "remove" -> {
                    if (value == null || value.isBlank()) return usage(verb + " needs a VALUE");
                    String problem = validate(k, value);
                    if (problem != null) return usage(problem);
                    ListEntry e = new ListEntry(l, k, toDomain, value);
                    boolean changed = verb.equalsIgnoreCase("add") ? lists.add(e) : lists.remove(e);
                    System.out.println((changed ? (verb.equalsIgnoreCase("add") ? "added: " : "removed: ") : "unchanged: ")
                            + l + " " + k.key() + " " + e.toDomain() + " " + e.value());
                    return 0;
                }
                default -> {
                    return usage("expected add, remove or show, got \"" + verb + "\"");
                }
            }
        } catch (StoreException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static String validate(ListEntry.Kind k, String v) {
        return switch (k) {
            case IPS -> Cidr.parse(v).isPresent() ? null : "not an IP address or CIDR network: " + v;
            case DOMAINS -> v.matches("(?i)[a-z0-9_.-]+") && v.contains(".") ? null : "not a domain: " + v;
            case ADDRESSES -> v.indexOf('@') > 0 ? null : "not an address (local@domain): " + v;
        };
    }

    private static int usage(String problem) {
        System.err.println("error: " + problem);
        return 2;
    }
}
