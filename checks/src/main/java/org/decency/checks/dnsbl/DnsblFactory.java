package org.decency.checks.dnsbl;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code DNSBL}: the client address against DNS block lists. See {@link DnsblConfig}. */
public final class DnsblFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "DNSBL";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        DnsblConfig settings = DnsblConfig.from(config);
        config.finish();
        return new DnsblCheck(name, settings, env.dns(), env.clock());
    }
}
