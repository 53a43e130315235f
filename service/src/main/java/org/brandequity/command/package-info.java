/**
 * What every command is built on, whichever package it lives in: {@link org.brandequity.command.Cli}
 * (the streams a command prints to and the environment its {@code BRANDEQUITY_*} variables come from)
 * and {@link org.brandequity.command.Cli.ConfiguredCommand} ({@code --config}, {@code --set}, and
 * config resolution). Below both the command line and the packages whose commands it registers.
 */
package org.brandequity.command;
