package org.brandequity.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import java.util.Optional;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Stops the registry when the process that launched it ends.
 *
 * <p>The launcher's shutdown hook covers Ctrl-C, but not a parent that is killed outright (kill -9,
 * a Surefire fork killed on timeout, an IDE's stop button); without this, such a registry would
 * run on unseen, holding its port. Inactive unless {@code brandequity.registry.parent-pid} is set.
 */
@ApplicationScoped
public class ParentProcessWatchdog {

    private static final Logger LOG = Logger.getLogger(ParentProcessWatchdog.class);

    @ConfigProperty(name = "brandequity.registry.parent-pid")
    Optional<Long> parentPid;

    void onStart(@Observes StartupEvent event) {
        parentPid.ifPresent(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> exit(pid)),
                () -> exit(pid)));
    }

    private static void exit(long pid) {
        LOG.infof("Parent process %d has ended; stopping the registry", pid);
        Quarkus.asyncExit();
    }
}
