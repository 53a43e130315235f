package org.brandequity.model;

/**
 * One interaction's experience: {@code value} x in [-1, 1] (perceived experience, -1 worst), and
 * {@code weight} w &gt; 0, how much this touchpoint and stage count. {@code explicit} is false when
 * the event carried no signal and x is the touchpoint's prior.
 */
public record ExperienceSignal(double value, double weight, boolean explicit) {}
