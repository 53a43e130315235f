/**
 * The command line of the production artifact ({@link org.brandequity.cli.Main}): the only package
 * that knows every command. It registers its own commands ({@code run}, {@code topology}, {@code config},
 * {@code acls}) and those of other packages ({@code ingest}, {@code import}), maps failures to exit
 * statuses, and runs the pipeline's preflight before starting it. The demo artifact adds its commands
 * to the same command line.
 */
package org.brandequity.cli;
