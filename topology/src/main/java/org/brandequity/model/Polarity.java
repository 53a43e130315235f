package org.brandequity.model;

/** How an experience felt to the customer, used for the net-experience counts. */
public enum Polarity { POSITIVE, NEUTRAL, NEGATIVE }
