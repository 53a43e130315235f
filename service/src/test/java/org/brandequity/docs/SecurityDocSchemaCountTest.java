package org.brandequity.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.brandequity.runtime.Pipeline;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/** docs/security.md's count of the schemas `run` registers, and the subjects it lists, are what the pipeline registers. */
class SecurityDocSchemaCountTest {
    @Test
    void theSchemasSecurityMdCountsAndListsAreTheOnesThePipelineRegisters() {
        List<String> registered;
        try (InMemorySchemaRegistry registry = new InMemorySchemaRegistry()) {
            Pipeline.registerOutputSchemas(registry, PipelineConfig.defaults().topics());
            registered = List.copyOf(registry.subjects());
        }

        String doc = Docs.section("docs/security.md", "## Schema registry");
        List<String> counts = new ArrayList<>(Docs.all(doc, "value schemas of the (\\w+) output topics"));
        counts.addAll(Docs.all(doc, "these (\\w+)\\s+schemas"));
        assertFalse(counts.isEmpty(), "security.md no longer counts the registered schemas; update this test");
        for (String count : counts) {
            assertEquals(registered.size(), Docs.number(count), "security.md says '" + count + "'; the pipeline registers " + registered);
        }
        String listed = doc.substring(doc.indexOf("**What the pipeline writes**"), doc.indexOf("The input subjects"));
        assertEquals(registered.stream().sorted().toList(), Docs.all(listed, "`([a-z-]+-value)`").stream().sorted().toList());
    }
}
