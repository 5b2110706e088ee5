package org.decency.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Installed for the core tests through {@code META-INF/services}: records every name the
 * JDK is asked to resolve, so a test can prove that parsing an address never looks a
 * name up. Names ending in {@code .invalid} fail at once without asking the real resolver.
 */
public final class RecordingResolverProvider extends InetAddressResolverProvider {
    static final List<String> LOOKUPS = new CopyOnWriteArrayList<>();

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                LOOKUPS.add(host);
                if (host.endsWith(".invalid")) throw new UnknownHostException(host);
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                LOOKUPS.add("reverse:" + InetAddress.getByAddress(addr).getHostAddress());
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "decency-test-recorder";
    }
}
