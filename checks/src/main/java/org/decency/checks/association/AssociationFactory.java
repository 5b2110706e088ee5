package org.decency.checks.association;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Association}: is the client related to the sender domain? See {@link AssociationConfig}. */
public final class AssociationFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return AssociationCheck.USUAL_NAME;
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        AssociationConfig settings = AssociationConfig.from(config);
        config.finish();
        return new AssociationCheck(name, settings, env.dns());
    }
}
