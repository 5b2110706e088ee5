package org.decency.checks.deepdnsbl;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code DeepDNSBL}: the hosts of the Received fields against DNS block lists. See {@link DeepDnsblConfig}. */
public final class DeepDnsblFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "DeepDNSBL";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        DeepDnsblConfig settings = DeepDnsblConfig.from(config);
        config.finish();
        return new DeepDnsblCheck(name, settings, env.dns(), env.clock());
    }
}
