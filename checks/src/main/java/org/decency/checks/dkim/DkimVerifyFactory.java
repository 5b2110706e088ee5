package org.decency.checks.dkim;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code DKIMVerify}: verifies DKIM signatures of the whole mail. See {@link DkimVerifyConfig}. */
public final class DkimVerifyFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "DKIMVerify";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        DkimVerifyConfig settings = DkimVerifyConfig.from(config, env);
        config.finish();
        VerifierPolicy policy = new VerifierPolicy(settings.allowSha1(), settings.minRsaBits(), settings.maxSignatures(),
                settings.budget(), env.clock());
        return new DkimVerifyCheck(name, settings, new DkimVerifier(env.dns(), policy));
    }
}
