package org.brandequity.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * Stands in for the bean that the excluded {@code apicurio-common-app-components-config-index}
 * Quarkus extension generates at build time (its deployment module is not on Maven Central).
 *
 * <p>An empty list means no property can be changed at run time through the admin API; every
 * property keeps its static value from application.properties, which is all an embedded,
 * in-memory registry needs.
 */
@Singleton
public class DynamicConfigPropertyListProducer {

    @Produces
    @Singleton
    DynamicConfigPropertyList dynamicConfigPropertyList() {
        return new DynamicConfigPropertyList(List.of());
    }
}
