package org.decency.checks.classifier;

import org.decency.checks.classifier.model.Counts;
import org.decency.checks.classifier.model.SpamModel;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Classifier}: Decency's own learning filter, its model in the store. See {@link ClassifierConfig}. */
public final class ClassifierFactory implements CheckFactory {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClassifierFactory.class);

    @Override
    public String moduleName() {
        return "Classifier";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        ClassifierConfig settings = ClassifierConfig.from(config);
        config.finish();
        SpamModel model = model(name, settings, env);
        warnOfAModelOfTheOtherKind(name, settings, model, env);
        return new ClassifierCheck(name, settings, model);
    }

    /**
     * The two kinds of model keep their learning under different keys: after a change of
     * {@code model:} (or of its default) the new one starts empty and the module scores 0
     * until it has learnt, which is said once at start-up rather than found out later.
     */
    private static void warnOfAModelOfTheOtherKind(String name, ClassifierConfig settings, SpamModel model, CheckEnvironment env) {
        String who = settings.user().defaultUser();
        if (who.isEmpty()) return; // one model per recipient: too many to look at
        try {
            Counts mine = model.totals(who);
            if (mine.spam() + mine.ham() > 0) return;
            ClassifierConfig other = settings.otherKind();
            Counts theirs = model(name, other, env).totals(who);
            if (theirs.spam() + theirs.ham() == 0) return;
            log.warn("module={}: the store holds a {} model \"{}\" ({} spam, {} ham learnt), but model: {} learns under keys of its own"
                    + " and has learnt nothing yet: teach it (decency train both --spam ... --ham ...) or set model: {}", name,
                    kindName(other), who, theirs.spam(), theirs.ham(), kindName(settings), kindName(other));
        } catch (RuntimeException e) {
            log.debug("module={}: the model's totals could not be read at start-up: {}", name, e.toString());
        }
    }

    private static String kindName(ClassifierConfig c) {
        return c.kind().name().toLowerCase(java.util.Locale.ROOT);
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
