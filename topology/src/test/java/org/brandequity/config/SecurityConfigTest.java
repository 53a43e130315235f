package org.brandequity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security keys' own rules: what goes together, what excludes what, and errors that never echo a secret. */
class SecurityConfigTest {
    private static IllegalArgumentException refused(Map<String, String> settings) {
        return assertThrows(IllegalArgumentException.class, () -> PipelineConfig.defaults().with(settings));
    }

    @Test
    void basicAuthAndABearerTokenForTheRegistryExcludeEachOther() {
        IllegalArgumentException e = refused(Map.of("schema.registry.auth.basic.user", "u", "schema.registry.auth.basic.password", "p",
                "schema.registry.auth.bearer.token", "t0ken"));
        assertTrue(e.getMessage().contains("basic auth (schema.registry.auth.basic.user) or a bearer token"), e.getMessage());
    }

    @Test
    void aBasicAuthUserWithoutAPasswordIsRefused() {
        assertTrue(refused(Map.of("metrics.auth.basic.user", "prometheus")).getMessage()
                .contains("metrics.auth.basic.user and metrics.auth.basic.password are set together"));
    }

    @Test
    void tokensFromTheKeyAndFromAFileExcludeEachOther(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "abc\n");
        assertTrue(refused(Map.of("api.auth.tokens", "abc", "api.auth.tokens.file", file.toString())).getMessage()
                .contains("set api.auth.tokens or api.auth.tokens.file, not both"));
    }

    @Test
    void anInvalidTokenIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = refused(Map.of("api.auth.tokens", "good-token,bad token-secret"));
        assertTrue(e.getMessage().contains("api.auth.tokens") && e.getMessage().contains("token 2"), e.getMessage());
        assertFalse(e.getMessage().contains("secret") || e.getMessage().contains("good-token"), e.getMessage());
    }

    @Test
    void aMissingTokenFileIsRefusedNamingTheKey() {
        assertTrue(refused(Map.of("schema.registry.auth.bearer.token.file", "/no/such/token")).getMessage()
                .contains("schema.registry.auth.bearer.token.file"));
    }

    @Test
    void theTokensFileIsReadOneTokenALineAndALineThatIsNoTokenIsNamedByNumberOnly(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good"), "# rotated 2026-11\nfirst\n\n second \n");
        assertEquals(List.of(new Password("first"), new Password("second")),
                PipelineConfig.defaults().with(Map.of("api.auth.tokens.file", good.toString())).api().tokenList());

        Path bad = Files.writeString(dir.resolve("bad"), "first\nnot a token secret\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineConfig.defaults().with(Map.of("api.auth.tokens.file", bad.toString())).api().tokenList());
        assertTrue(e.getMessage().contains(bad + " line 2"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void theConfigsStringFormShowsNoSecret() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("schema.registry.url", "https://u:url-secret@registry:8081",
                "api.auth.tokens", "token-secret", "metrics.auth.basic.user", "p", "metrics.auth.basic.password", "metrics-secret"));
        assertFalse(c.toString().contains("secret"), c.toString());
        assertTrue(c.toString().contains("api.auth.tokens=[hidden]"), c.toString());
    }
}
