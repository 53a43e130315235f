package org.brandequity.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.brandequity.config.PipelineConfig;
import org.junit.jupiter.api.Test;

class DeploymentAclsTest {
    /**
     * Read on a named topic only where the pipeline reads it: the two inputs Kafka Streams consumes and
     * the outputs its watcher subscribes to. Touchpoint scores and customer alerts are written, never read.
     */
    @Test
    void thePipelineIsGrantedReadOnlyOnTheTopicsItReads() {
        PipelineConfig c = PipelineConfig.defaults();
        Set<String> read = new TreeSet<>();
        for (AclBinding b : DeploymentAcls.pipeline(c, "pipeline", true)) {
            if (b.pattern().resourceType() == ResourceType.TOPIC && b.pattern().patternType() == PatternType.LITERAL
                    && b.entry().operation() == AclOperation.READ) read.add(b.pattern().name());
        }
        Set<String> expected = new TreeSet<>(c.topics().readBack());
        expected.add(c.topics().interactions());
        expected.add(c.topics().profiles());
        assertEquals(expected, read);
    }
}
