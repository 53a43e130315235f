// Turns the pipeline's at-risk customer alerts into CRM cases (docs/closed-loop.md).
//
//   java -cp service/target/brand-equity.jar examples/closed-loop/CaseConsumer.java \
//        localhost:9092 http://localhost:8081/apis/ccompat/v7 [--topic customer-alerts] [--group crm-cases] [--exit-when-idle 10s]
//
// One case per alertId: FIRING opens it (or updates it if it is open), RESOLVED closes it. The key
// of every record is the customer id, so one customer's alerts arrive in order on one partition.
// Offsets are committed after the cases are written, so after a crash the last records come
// again (at-least-once); writing them again changes nothing (the case is looked up by alertId, an
// identical record is skipped and a closed case never reopens). The CRM here is a map that prints
// what it does; replace Crm with your CRM's or ticketing system's API (upsert by external id).
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertState;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.HttpSchemaRegistryClient;

public class CaseConsumer {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CaseConsumer <bootstrap.servers> <schema.registry.url> [--topic T] [--group G] [--exit-when-idle 10s]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>(Map.of("--topic", "customer-alerts", "--group", "crm-cases", "--exit-when-idle", ""));
        for (int i = 2; i + 1 < args.length; i += 2) options.put(args[i], args[i + 1]);
        String idle = options.get("--exit-when-idle");
        Duration exitWhenIdle = idle.isEmpty() ? null : Duration.parse("PT" + idle.toUpperCase());

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.get("--group"));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the pipeline writes in transactions
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);         // commit after the CRM has the cases
        Crm crm = new Crm();
        try (HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(args[1]);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            // The project's Confluent-wire Avro deserializer: resolves each record's writer schema
            // (by the id in its first bytes) to this CustomerAlert, so newer contracts still read.
            Deserializer<CustomerAlert> alerts = new ConfluentAvroSerde<>(registry, CustomerAlert.class, false).deserializer();
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(10_000);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            }));
            // Idle time counts from the partitions' assignment (joining the group takes a few seconds).
            Instant[] lastRecord = {Instant.MAX};
            consumer.subscribe(List.of(options.get("--topic")), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    lastRecord[0] = Instant.now();
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // offsets are committed after every batch: nothing to do
                }
            });
            while (exitWhenIdle == null || lastRecord[0] == Instant.MAX
                    || Duration.between(lastRecord[0], Instant.now()).compareTo(exitWhenIdle) < 0) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) continue;
                for (ConsumerRecord<String, byte[]> r : records) {
                    crm.apply(alerts.deserialize(r.topic(), r.headers(), r.value()));
                }
                consumer.commitSync();
                lastRecord[0] = Instant.now();
            }
        } catch (WakeupException stopping) {
            // Ctrl-C: the cases written so far stay; their offsets were committed batch by batch
        }
        System.out.println("cases: " + crm.open() + " open, " + crm.closed() + " closed");
    }

    /** Stands in for a CRM: cases by alertId (the external id an upsert looks them up by). */
    static final class Crm {
        private final Map<String, CustomerAlert> lastApplied = new HashMap<>();
        private final Map<String, Boolean> open = new HashMap<>();

        void apply(CustomerAlert a) {
            String id = a.getAlertId();
            if (a.equals(lastApplied.get(id))) return;                 // redelivered: already applied
            Boolean isOpen = open.get(id);
            if (a.getState() == CustomerAlertState.FIRING) {
                if (Boolean.FALSE.equals(isOpen)) return;               // a replayed FIRING never reopens a closed case
                System.out.printf(Locale.ROOT, "%s case %s customer=%s segment=%s tier=%s valueWeight=%.2f trigger=%s %s index %.1f -> %.1f at %s recent=[%s]%n",
                        isOpen == null ? "OPEN" : "UPDATE", id, a.getCustomerId(), a.getSegment(), a.getTier(), a.getValueWeight(),
                        a.getTrigger(), a.getEvent() == null ? "(no single event)"
                                : "event " + a.getEvent().getEventId() + " at " + a.getEvent().getTouchpoint() + " x=" + a.getEvent().getSignal(),
                        a.getIndexBefore(), a.getIndexAfter(), a.getAt(),
                        a.getRecent().stream().map(i -> i.getTouchpoint() + " " + i.getSignal()).collect(Collectors.joining(", ")));
                open.put(id, true);
            } else {
                if (Boolean.FALSE.equals(isOpen)) return;               // already closed
                System.out.printf(Locale.ROOT, "CLOSE case %s customer=%s resolution=%s index %.1f at %s%n",
                        id, a.getCustomerId(), a.getResolution(), a.getIndexAfter(), a.getAt());
                open.put(id, false);
            }
            lastApplied.put(id, a);
        }

        long open() {
            return open.values().stream().filter(o -> o).count();
        }

        long closed() {
            return open.values().stream().filter(o -> !o).count();
        }
    }
}
