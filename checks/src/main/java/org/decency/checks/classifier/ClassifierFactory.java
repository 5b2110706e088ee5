package org.decency.checks.classifier;

import org.decency.checks.classifier.model.SpamModel;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Classifier}: Decency's own learning filter, its model in the store. See {@link ClassifierConfig}. */
public final class ClassifierFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "Classifier";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        ClassifierConfig settings = ClassifierConfig.from(config);
        config.finish();
        return new ClassifierCheck(name, settings, model(name, settings, env));
    }

    /** A check with {@code settings} on {@code env}'s store, without a config file (decency eval --speed). */
    public static ClassifierCheck check(String name, ClassifierConfig settings, CheckEnvironment env) {
        return new ClassifierCheck(name, settings, model(name, settings, env));
    }

    /** The model of the module called {@code name}: its keys start with {@code classifier:<name>:}. */
    public static SpamModel model(String name, ClassifierConfig settings, CheckEnvironment env) {
        return settings.model(env.store(), "classifier:" + name + ":");
    }
}
