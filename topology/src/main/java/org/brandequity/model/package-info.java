/**
 * The experience and equity model: pure functions and values, no Kafka.
 *
 * <p>An interaction at a touchpoint becomes an {@link org.brandequity.model.ExperienceSignal}
 * (value x in [-1, 1], weight w) via the {@link org.brandequity.model.ScoringModel}. Signals fold
 * into an {@link org.brandequity.model.EquityStock}: exponentially decayed sums of
 * c&middot;x and c, where c = segment weight &times; customer value weight &times; w, kept per
 * segment, touchpoint and lifecycle stage so that every breakdown sums to the same total. The
 * formulas are in docs/model.md and on each class.
 */
package org.brandequity.model;
