/**
 * How every HTTP port of the service is set up ({@link org.brandequity.http.HttpServers}): Jetty's
 * limits, thread pools, binding and the refusal of a non-loopback bind without credentials. Its
 * {@code security} subpackage holds the credentials those ports check.
 */
package org.brandequity.http;
