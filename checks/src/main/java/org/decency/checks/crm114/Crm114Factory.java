package org.decency.checks.crm114;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code CRM114}: each mail classified by CRM114's mailreaver. See {@link Crm114Config}. */
public final class Crm114Factory implements CheckFactory {

    @Override
    public String moduleName() {
        return "CRM114";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        Crm114Config settings = Crm114Config.from(config);
        config.finish();
        return new Crm114Check(name, settings, PasswdHomes.system());
    }
}
