/**
 * Key drivers: which touchpoints move loyalty, learned from the customers' own answers. Pure
 * functions and values, no Kafka. An observation is one recommend answer with the customer's
 * decayed experience per touchpoint before it; decayed, pairwise-complete sufficient statistics
 * fold observations in any order; Johnson's relative weights (summing to R²) with Poisson-bootstrap
 * intervals are read off them. Formulas in docs/model.md.
 */
package org.brandequity.model.drivers;
