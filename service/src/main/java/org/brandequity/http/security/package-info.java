/**
 * The credentials of the HTTP ports, shared by the query API, the ingestion service and both
 * {@code /metrics} endpoints: bearer tokens ({@link org.brandequity.http.security.BearerTokens}),
 * basic auth for scrapers ({@link org.brandequity.http.security.BasicCredentials}), and TLS contexts
 * from keystores and truststores ({@link org.brandequity.http.security.Tls}).
 */
package org.brandequity.http.security;
