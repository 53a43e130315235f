package org.brandequity.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Money;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.drivers.DriverObservation;
import org.brandequity.model.drivers.DriverSet;
import org.brandequity.topology.BrandEquityTopology;

/**
 * A seeded population of customers walking through their lifecycle, one interaction at a time.
 * Pure and single-threaded: the same config, start and sequence of event times give the same
 * interactions.
 *
 * <p>Each customer has a segment, a value weight, a baseline experience and a mood (a decaying
 * memory of recent surprises, so a failed delivery sours the next few interactions too). Every
 * call to {@link #next} picks a customer at random, lets them meet a touchpoint that fits their
 * lifecycle stage, turns their experience into the signals that touchpoint typically carries, and
 * moves them on: awareness → consideration → purchase (checkout, then delivery) → usage ⇄ service
 * → loyalty (surveys, reviews, referrals, renewals) → disposal, where unhappy customers cancel and
 * start over as prospects and satisfied ones replace the product.
 *
 * <p>Recommend answers (the likelihood to recommend on surveys and cancellations) are drawn from
 * the known key-driver model of {@link SimulationConfig#drivers()}, not from the customer's general
 * experience: each customer carries, per driver touchpoint, the decayed weighted mean of the
 * experience the pipeline will read off the events emitted there (each emitted event scored by
 * {@link ScoringModel} with the default model config, silent events at their touchpoint's prior),
 * and an answer is drawn from those means. Scoring what was emitted, rather than the experience
 * the journey drew before turning it into ratings, makes the pipeline's predictors the very ones
 * the answer was drawn from: no rounding of ratings, no silent event and no prior stands between
 * them, so a regression on the pipeline's observations estimates the configured coefficients
 * without the attenuation an error in the predictors would cause.
 *
 * <p>Every interaction is valid for {@code InteractionValidator}. Two kinds are deliberately
 * awkward: re-sent duplicates (an earlier interaction again, same event id) and late ones (event
 * time up to {@code maxLateness} behind the clock).
 */
public final class CustomerJourneys {
    public static final String HIGH_VALUE = "high-value";
    public static final String BROAD_BASE = "broad-base";
    public static final String UNASSIGNED = BrandEquityTopology.UNASSIGNED_SEGMENT;

    /** Duplicates re-send one of the last this many interactions, as a retrying upstream would. */
    private static final int RECENT = 512;
    private static final String CURRENCY = "EUR";
    /** Spread of one interaction's experience around the customer's expectation. */
    private static final double NOISE = 0.3;
    /** How much of a surprise the mood keeps, and how much of the mood survives each interaction. */
    private static final double MOOD_GAIN = 0.25;
    private static final double MOOD_MEMORY = 0.75;
    /** A failed outcome costs this much experience on top of the failure itself. */
    private static final double FAILURE_PENALTY = 0.7;
    /** Scores emitted events as the pipeline does by default: the experience the driver model reads. */
    private static final ScoringModel SCORING = new ScoringModel(PipelineConfig.defaults().model());
    private static final double DRIVER_HALF_LIFE_MILLIS = DriverModel.HALF_LIFE.toMillis();

    private final SimulationConfig config;
    private final Instant start;
    private final SplittableRandom random;
    private final Customer[] customers;
    private final Map<String, Customer> byId;
    private final Consumer<Answer> answers;
    private final CustomerInteraction[] recent = new CustomerInteraction[RECENT];
    private long recentCount;
    private long sequence;

    /**
     * @param start the simulation start: incident offsets count from here, and profiles' customer-since
     *     dates lie before it
     */
    public CustomerJourneys(SimulationConfig config, Instant start) {
        this(config, start, answer -> { });
    }

    /**
     * A recommend answer as the driver model drew it: the simulator's ground truth.
     *
     * @param observation the answer's event id and time, the answer, and the customer's experience
     *     per driver touchpoint it was drawn from (NaN where never met), indexed as
     *     {@link DriverSet#touchpoints()}
     */
    public record Answer(String customerId, String segment, DriverObservation observation) {}

    /** @param answers told of every recommend answer drawn (not of re-sent duplicates), before {@link #next} returns it */
    public CustomerJourneys(SimulationConfig config, Instant start, Consumer<Answer> answers) {
        this.config = Objects.requireNonNull(config, "config");
        this.answers = Objects.requireNonNull(answers, "answers");
        this.start = Objects.requireNonNull(start, "start");
        SplittableRandom population = new SplittableRandom(config.seed());
        // Events draw from their own stream, so that the population does not depend on how
        // many random numbers a later version spends per event, and vice versa.
        this.random = population.split();
        this.customers = population(config, start, population);
        this.byId = new HashMap<>(customers.length * 2);
        for (Customer c : customers) byId.put(c.id, c);
    }

    public Instant start() {
        return start;
    }

    /** The profile of every customer that has one (all but the unassigned), in customer order. */
    public List<CustomerProfile> profiles() {
        List<CustomerProfile> profiles = new ArrayList<>(customers.length);
        for (Customer c : customers) {
            if (c.segment.equals(UNASSIGNED)) continue;
            profiles.add(CustomerProfile.newBuilder()
                    .setCustomerId(c.id)
                    .setSegment(c.segment)
                    .setTier(c.tier)
                    .setValueWeight(c.valueWeight)
                    .setCustomerSince(c.customerSince)
                    .build());
        }
        return profiles;
    }

    /** The segment the pipeline will see for this customer: {@value #UNASSIGNED} without a profile. */
    public String segmentOf(String customerId) {
        Customer c = byId.get(customerId);
        if (c == null) throw new IllegalArgumentException("No simulated customer " + customerId);
        return c.segment;
    }

    /** Interactions generated so far that are not duplicates; the sequence number in the next event id. */
    public long generated() {
        return sequence;
    }

    /**
     * The next interaction, happening at {@code eventTime} (or, for a late one, a little before).
     * Key it by {@link CustomerInteraction#getCustomerId()}.
     */
    public CustomerInteraction next(Instant eventTime) {
        if (eventTime.toEpochMilli() <= config.maxLateness().toMillis()) {
            throw new IllegalArgumentException("eventTime " + eventTime + " is too close to the epoch");
        }
        if (recentCount > 0 && random.nextDouble() < config.duplicateShare()) {
            int slot = random.nextInt((int) Math.min(recentCount, RECENT));
            return CustomerInteraction.newBuilder(recent[slot]).build();
        }
        Instant t = eventTime;
        if (random.nextDouble() < config.lateShare()) {
            t = t.minusMillis(1 + random.nextLong(config.maxLateness().toMillis()));
        }
        Customer c = customers[random.nextInt(customers.length)];
        CustomerInteraction event = interact(c, t);
        recent[(int) (recentCount++ % RECENT)] = event;
        return CustomerInteraction.newBuilder(event).build();
    }

    private CustomerInteraction interact(Customer c, Instant t) {
        Touchpoint tp = touchpoint(c);
        LifecycleStage stage = c.stage;
        Duration sinceStart = Duration.between(start, t);
        double shift = 0;
        double forcedFailure = 0;
        for (Incident incident : config.incidents()) {
            if (incident.affects(c.segment, tp, sinceStart)) {
                shift += incident.shift();
                forcedFailure = Math.max(forcedFailure, incident.failure());
            }
        }
        double expected = c.baseline + c.mood + bias(tp);
        double x = clip(expected + shift + NOISE * random.nextGaussian());

        CustomerInteraction.Builder b = CustomerInteraction.newBuilder()
                .setEventId(config.seed() + "-" + sequence++)
                .setCustomerId(c.id)
                .setEventTime(t)
                .setTouchpoint(tp)
                .setStage(stage)
                .setChannel(channel(tp));

        Outcome outcome = null;
        if (reportsOutcome(tp)) {
            double failure = Math.max(Math.min(1, baseFailure(tp) + 0.1 * Math.max(0, -x)), forcedFailure);
            if (random.nextDouble() < failure) {
                outcome = Outcome.FAILURE;
                x = clip(x - FAILURE_PENALTY);
            } else if (tp == Touchpoint.SUPPORT_CONTACT && random.nextDouble() < 0.12) {
                outcome = Outcome.NEUTRAL;
            } else {
                outcome = Outcome.SUCCESS;
            }
            b.setOutcome(outcome);
        }
        double[] experience = signals(b, c, tp, outcome, x);
        c.mood = clip(MOOD_MEMORY * c.mood + MOOD_GAIN * (x - expected), -0.6, 0.6);
        advance(c, tp, outcome);
        CustomerInteraction event = b.build();
        if (experience != null) {
            answers.accept(new Answer(c.id, c.segment, new DriverObservation(event.getEventId(), t.toEpochMilli(),
                    event.getLikelihoodToRecommend(), experience)));
        }
        c.experienced(tp, SCORING.score(event), growth(t));
        return event;
    }

    /**
     * The weight factor 2^((t − start) / half-life) of an event at {@code t}. Weighting every
     * event by it and taking weighted means is the same as decaying older events by
     * 2^(−age / half-life): the common factor cancels in a mean. Exact in doubles for simulated
     * spans under about 250 years (2^1023 is the largest double).
     */
    private double growth(Instant t) {
        return Math.pow(2, (t.toEpochMilli() - start.toEpochMilli()) / DRIVER_HALF_LIFE_MILLIS);
    }

    /** A recommend answer of {@code c}, drawn from the driver model; records what it was drawn from in {@code experience}. */
    private int recommend(Customer c, double[] experience) {
        c.experience(experience);
        return config.drivers().answer(config.drivers().coefficients(c.segment), experience, random);
    }

    private Touchpoint touchpoint(Customer c) {
        double r = random.nextDouble();
        return switch (c.stage) {
            case AWARENESS -> r < 0.55 ? Touchpoint.AD : r < 0.85 ? Touchpoint.SOCIAL_MENTION : Touchpoint.WORD_OF_MOUTH;
            case CONSIDERATION -> r < 0.6 ? Touchpoint.WEBSITE_VISIT : r < 0.85 ? Touchpoint.STORE_VISIT : Touchpoint.SALES_CONTACT;
            case PURCHASE -> c.awaitingDelivery ? Touchpoint.DELIVERY : Touchpoint.CHECKOUT;
            case USAGE -> r < 0.45 ? Touchpoint.PRODUCT_USAGE : Touchpoint.APP_SESSION;
            case SERVICE -> r < 0.75 ? Touchpoint.SUPPORT_CONTACT : Touchpoint.RETURN;
            case LOYALTY -> r < 0.3 ? Touchpoint.SURVEY_RESPONSE : r < 0.5 ? Touchpoint.REVIEW
                    : r < 0.65 ? Touchpoint.REFERRAL : Touchpoint.RENEWAL;
            case DISPOSAL -> c.cancelling ? Touchpoint.CANCELLATION : Touchpoint.DISPOSAL;
            default -> Touchpoint.OTHER;
        };
    }

    /** People reach for support, returns and cancellations when something is already wrong. */
    private static double bias(Touchpoint tp) {
        return switch (tp) {
            case SUPPORT_CONTACT -> -0.2;
            case RETURN -> -0.3;
            case CANCELLATION -> -0.6;
            default -> 0;
        };
    }

    private static boolean reportsOutcome(Touchpoint tp) {
        return tp == Touchpoint.CHECKOUT || tp == Touchpoint.DELIVERY
                || tp == Touchpoint.SUPPORT_CONTACT || tp == Touchpoint.RETURN;
    }

    private static double baseFailure(Touchpoint tp) {
        return switch (tp) {
            case CHECKOUT -> 0.02;
            case DELIVERY -> 0.04;
            case SUPPORT_CONTACT -> 0.15;
            case RETURN -> 0.08;
            default -> 0;
        };
    }

    /**
     * The signal mix a real feed carries: most touches are silent, surveys and reviews speak.
     * Returns the driver experience a recommend answer was drawn from, or null without one.
     */
    private double[] signals(CustomerInteraction.Builder b, Customer c, Touchpoint tp, Outcome outcome, double x) {
        double r = random.nextDouble();
        double[] answered = null;
        switch (tp) {
            case AD -> {
                // Reactions to an ad on social media (liked, hidden, commented): a weak voice, but
                // without any the ad's experience would be its prior for everyone.
                if (r < 0.1) b.setSentiment(sentiment(x));
            }
            case SOCIAL_MENTION -> {
                if (r < 0.9) b.setSentiment(sentiment(x));
            }
            case WORD_OF_MOUTH -> {
                if (r < 0.25) b.setSentiment(sentiment(x));
            }
            case WEBSITE_VISIT, APP_SESSION -> {
                if (r < 0.1) b.setRating(rating(x));
            }
            case PRODUCT_USAGE -> {
                // An in-product rating prompt; the rest is usage without a stated experience.
                if (r < 0.25) b.setRating(rating(x));
            }
            case STORE_VISIT -> {
                if (r < 0.2) b.setRating(rating(x));
            }
            case SALES_CONTACT -> {
                if (r < 0.3) b.setRating(rating(x));
            }
            case CHECKOUT -> {
                if (r < 0.15) b.setEffort(effort(x));
                if (outcome == Outcome.SUCCESS) b.setSpend(money(c.high() ? 220 : 55, 0.5));
            }
            case DELIVERY -> {
                if (r < 0.3) b.setRating(rating(x));
            }
            case SUPPORT_CONTACT -> {
                b.setEffort(effort(x));
                if (r < 0.3) b.setRating(rating(x));
                if (random.nextDouble() < 0.25) b.setSentiment(sentiment(x));
            }
            case RETURN -> {
                if (r < 0.5) b.setEffort(effort(x));
            }
            case SURVEY_RESPONSE -> {
                // Half answer the recommend question only, a third rate only, the rest both.
                if (r < 0.5 || r >= 0.85) {
                    answered = new double[DriverSet.size()];
                    b.setLikelihoodToRecommend(recommend(c, answered));
                }
                if (r >= 0.5) b.setRating(rating(x));
            }
            case REVIEW -> b.setRating(rating(x)).setSentiment(sentiment(x));
            case RENEWAL -> b.setSpend(money(c.high() ? 120 : 30, 0.3));
            case CANCELLATION -> {
                if (r < 0.3) {
                    answered = new double[DriverSet.size()];
                    b.setLikelihoodToRecommend(recommend(c, answered));
                } else if (r < 0.5) {
                    b.setSentiment(sentiment(x));
                }
            }
            default -> {
                // Referrals, disposals: behaviour without a stated experience; the scoring model
                // falls back to the touchpoint's prior.
            }
        }
        return answered;
    }

    private void advance(Customer c, Touchpoint tp, Outcome outcome) {
        double r = random.nextDouble();
        switch (c.stage) {
            case AWARENESS -> {
                if (r < 0.35) c.stage = LifecycleStage.CONSIDERATION;
            }
            case CONSIDERATION -> {
                if (r < 0.3) {
                    c.stage = LifecycleStage.PURCHASE;
                    c.awaitingDelivery = false;
                } else if (r < 0.38) {
                    c.stage = LifecycleStage.AWARENESS;
                }
            }
            case PURCHASE -> {
                if (tp == Touchpoint.CHECKOUT) {
                    if (outcome == Outcome.SUCCESS) {
                        c.awaitingDelivery = true;
                    } else if (r < 0.3) {
                        c.stage = LifecycleStage.CONSIDERATION;
                    }
                } else if (outcome == Outcome.FAILURE) {
                    c.stage = LifecycleStage.SERVICE;
                    c.awaitingDelivery = false;
                } else {
                    c.stage = LifecycleStage.USAGE;
                    c.awaitingDelivery = false;
                }
            }
            case USAGE -> {
                if (r < 0.08) {
                    c.stage = LifecycleStage.SERVICE;
                } else if (r < 0.23) {
                    c.stage = LifecycleStage.LOYALTY;
                } else if (r < 0.27) {
                    c.stage = LifecycleStage.PURCHASE;
                }
            }
            case SERVICE -> {
                if (outcome == Outcome.SUCCESS) {
                    if (r < 0.8) c.stage = LifecycleStage.USAGE;
                } else if (r < 3 * c.churnRisk()) {
                    churn(c);
                } else if (r < 0.6) {
                    c.stage = LifecycleStage.USAGE;
                }
            }
            case LOYALTY -> {
                if (tp == Touchpoint.RENEWAL) {
                    if (r < 0.5) c.stage = LifecycleStage.USAGE;
                } else if (r < c.churnRisk()) {
                    churn(c);
                } else if (r < c.churnRisk() + 0.03) {
                    c.stage = LifecycleStage.DISPOSAL;
                    c.cancelling = false;
                } else if (r < 0.4) {
                    c.stage = LifecycleStage.USAGE;
                } else if (r < 0.45) {
                    c.stage = LifecycleStage.PURCHASE;
                    c.awaitingDelivery = false;
                }
            }
            case DISPOSAL -> {
                // A churned customer may be won back from scratch; one who wore the product
                // out is already convinced and shops for a replacement.
                c.stage = c.cancelling ? LifecycleStage.AWARENESS : LifecycleStage.CONSIDERATION;
                c.cancelling = false;
            }
            default -> c.stage = LifecycleStage.AWARENESS;
        }
    }

    private static void churn(Customer c) {
        c.stage = LifecycleStage.DISPOSAL;
        c.cancelling = true;
    }

    private String channel(Touchpoint tp) {
        return switch (tp) {
            case AD -> pick("web", "social", "email");
            case SOCIAL_MENTION -> "social";
            case WORD_OF_MOUTH, PRODUCT_USAGE -> null;
            case WEBSITE_VISIT -> "web";
            case STORE_VISIT -> "store";
            case SALES_CONTACT -> pick("phone", "store", "email");
            case CHECKOUT -> pick("web", "app", "store");
            case DELIVERY -> "partner";
            case APP_SESSION -> "app";
            case SUPPORT_CONTACT -> pick("phone", "email", "web", "app");
            case RETURN -> pick("store", "partner", "web");
            case SURVEY_RESPONSE -> pick("email", "web", "app");
            case REVIEW -> pick("web", "app");
            case REFERRAL -> pick("web", "app", "email");
            case RENEWAL -> pick("web", "app", "phone");
            case CANCELLATION -> pick("phone", "web");
            case DISPOSAL -> pick("store", "partner");
            default -> null;
        };
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private int rating(double x) {
        return bounded(3 + 2 * x + 0.4 * random.nextGaussian(), 1, 5);
    }

    private int effort(double x) {
        return bounded(4 + 3 * x + 0.5 * random.nextGaussian(), 1, 7);
    }

    private double sentiment(double x) {
        return Math.round(clip(x + 0.15 * random.nextGaussian()) * 1000) / 1000.0;
    }

    /** Log-normal basket: most small, a few large. */
    private Money money(double median, double spread) {
        double amount = median * Math.exp(spread * random.nextGaussian());
        return new Money(Math.round(amount * 100) / 100.0, CURRENCY);
    }

    private static int bounded(double value, int min, int max) {
        return (int) Math.max(min, Math.min(max, Math.round(value)));
    }

    private static double clip(double x) {
        return clip(x, -1, 1);
    }

    private static double clip(double x, double min, double max) {
        return Math.max(min, Math.min(max, x));
    }

    private static Customer[] population(SimulationConfig config, Instant start, SplittableRandom random) {
        int n = config.customers();
        int highValue = (int) Math.round(n * config.highValueShare());
        int unassigned = Math.min(n - highValue, (int) Math.round(n * config.unassignedShare()));
        // Exact counts, shuffled: shares match the config for any population size.
        String[] segments = new String[n];
        for (int i = 0; i < n; i++) {
            segments[i] = i < highValue ? HIGH_VALUE : i < highValue + unassigned ? UNASSIGNED : BROAD_BASE;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String s = segments[i];
            segments[i] = segments[j];
            segments[j] = s;
        }
        int width = Math.max(5, String.valueOf(n).length());
        Customer[] customers = new Customer[n];
        for (int i = 0; i < n; i++) {
            String id = "cust-" + "0".repeat(width - String.valueOf(i + 1).length()) + (i + 1);
            customers[i] = Customer.create(id, segments[i], start, random);
        }
        return customers;
    }

    private static final class Customer {
        final String id;
        final String segment;
        final String tier;
        final double valueWeight;
        final Instant customerSince;
        /** Expected experience, in [-1, 1] like the scoring scale. */
        final double baseline;
        double mood;
        LifecycleStage stage;
        boolean awaitingDelivery;
        boolean cancelling;
        /**
         * Per driver touchpoint (indexed as {@link DriverSet#touchpoints()}): Σ w·g·x and Σ w·g
         * over the events emitted there, w and x their {@link ScoringModel} weight and value, g
         * the growth factor of their time. Null until the first driver touchpoint is met.
         */
        double[] driverSum;
        double[] driverWeight;

        private Customer(String id, String segment, String tier, double valueWeight, Instant customerSince,
                         double baseline, LifecycleStage stage, boolean awaitingDelivery) {
            this.id = id;
            this.segment = segment;
            this.tier = tier;
            this.valueWeight = valueWeight;
            this.customerSince = customerSince;
            this.baseline = baseline;
            this.stage = stage;
            this.awaitingDelivery = awaitingDelivery;
        }

        static Customer create(String id, String segment, Instant start, SplittableRandom random) {
            boolean high = segment.equals(HIGH_VALUE);
            double valueWeight = high ? random.nextDouble(3, 10) : random.nextDouble(0.5, 2);
            String tier = high ? (random.nextDouble() < 0.3 ? "platinum" : "gold")
                    : (random.nextDouble() < 0.25 ? "silver" : "standard");
            Instant since = start.minus(Duration.ofDays(random.nextLong(30, 6 * 365)));
            // High-value customers are served better (dedicated support, priority delivery) and
            // chose the brand deliberately: a higher and steadier baseline.
            double baseline = high ? clip(0.45 + 0.15 * random.nextGaussian(), -0.8, 0.9)
                    : clip(0.15 + 0.3 * random.nextGaussian(), -0.8, 0.9);
            double r = random.nextDouble();
            // Start spread over the lifecycle, roughly as an established brand's base would be.
            LifecycleStage stage = r < 0.15 ? LifecycleStage.AWARENESS
                    : r < 0.25 ? LifecycleStage.CONSIDERATION
                    : r < 0.33 ? LifecycleStage.PURCHASE
                    : r < 0.68 ? LifecycleStage.USAGE
                    : r < 0.75 ? LifecycleStage.SERVICE
                    : r < 0.95 ? LifecycleStage.LOYALTY
                    : LifecycleStage.DISPOSAL;
            return new Customer(id, segment, tier, Math.round(valueWeight * 100) / 100.0, since, baseline, stage,
                    random.nextBoolean());
        }

        boolean high() {
            return segment.equals(HIGH_VALUE);
        }

        /** Folds an emitted event's score into its touchpoint's experience, if a driver. */
        void experienced(Touchpoint tp, ExperienceSignal s, double growth) {
            int k = DriverSet.indexOf(tp);
            if (k < 0) return;
            if (driverSum == null) {
                driverSum = new double[DriverSet.size()];
                driverWeight = new double[DriverSet.size()];
            }
            double w = s.weight() * growth;
            driverSum[k] += w * s.value();
            driverWeight[k] += w;
        }

        /** The decayed weighted mean experience per driver touchpoint into {@code out}; NaN where never met. */
        void experience(double[] out) {
            for (int k = 0; k < out.length; k++) {
                out[k] = driverWeight == null || driverWeight[k] == 0 ? Double.NaN : driverSum[k] / driverWeight[k];
            }
        }

        /** Unhappy customers leave: about 2% a loyalty touch when content, up to 30% when miserable. */
        double churnRisk() {
            return Math.min(0.3, 0.02 + 0.3 * Math.max(0, -(baseline + mood)));
        }
    }
}
