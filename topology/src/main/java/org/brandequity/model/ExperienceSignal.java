package org.brandequity.model;

/**
 * One interaction's experience: {@code value} x in [-1, 1] (perceived experience, -1 worst), and
 * {@code weight} w &gt; 0, how much this touchpoint and stage count. An event
 * carrying no signal gets the touchpoint's prior as x (see {@link ScoringModel}).
 */
public record ExperienceSignal(double value, double weight) {}
