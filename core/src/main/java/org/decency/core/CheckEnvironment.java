package org.decency.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.decency.config.ConfigNode;
import org.decency.dns.Dns;
import org.decency.store.Store;

/**
 * What a check may use besides its config: the shared store, the clock (tests move
 * it), the config directory for relative file names, and this host's own names and
 * addresses (for HELO plausibility checks). Factories report settings that load but
 * do nothing (yet) through {@link #warn}; the server prints them at start-up and
 * {@code decency check-config} shows them.
 *
 * @param server   the server kind ({@code doorman}, {@code detective}), used in store keys and stats
 * @param warnings collects the warnings of every factory that used this environment
 * @param dns      the process's resolver ({@link Dns#none()} where no DNS is configured)
 */
public record CheckEnvironment(Store store, Clock clock, Path configDir, String server,
                               List<String> ownHostnames, List<String> ownAddresses, List<String> warnings, Dns dns) {

    public CheckEnvironment {
        ownHostnames = List.copyOf(ownHostnames);
        ownAddresses = List.copyOf(ownAddresses);
    }

    public CheckEnvironment(Store store, Clock clock, Path configDir, String server,
                            List<String> ownHostnames, List<String> ownAddresses) {
        this(store, clock, configDir, server, ownHostnames, ownAddresses, new ArrayList<>(), Dns.none());
    }

    /** The same environment with {@code dns} as its resolver. */
    public CheckEnvironment withDns(Dns dns) {
        return new CheckEnvironment(store, clock, configDir, server, ownHostnames, ownAddresses, warnings, dns);
    }

    /** Records a warning located at {@code where}: {@code file:line: key: text}. */
    public void warn(ConfigNode where, String text) {
        synchronized (warnings) {
            warnings.add(where.file() + ":" + where.line() + ": " + (where.path().isEmpty() ? "" : where.path() + ": ") + text);
        }
    }
}
