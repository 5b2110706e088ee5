package org.decency.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.decency.store.Store;

/**
 * What a check may use besides its config: the shared store, the clock (tests move
 * it), the config directory for relative file names, and this host's own names and
 * addresses (for HELO plausibility checks).
 *
 * @param server the server kind ({@code doorman}, {@code detective}), used in store keys and stats
 */
public record CheckEnvironment(Store store, Clock clock, Path configDir, String server,
                               List<String> ownHostnames, List<String> ownAddresses) {

    public CheckEnvironment {
        ownHostnames = List.copyOf(ownHostnames);
        ownAddresses = List.copyOf(ownAddresses);
    }
}
