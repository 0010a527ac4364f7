/// The exchanges, queue and bindings a consumer needs, declared again after every reconnect (the
/// broker may have restarted and lost non-durable entities).
public struct AMQPTopology: Sendable, Hashable {
  public struct Exchange: Sendable, Hashable {
    public var name: String
    public var type: String
    /// oslo.messaging declares its exchanges non-durable unless `amqp_durable_queues` is set; declaring
    /// with other flags than the existing exchange fails (406), which the consumer tolerates (it only
    /// needs the exchange to exist to bind to it).
    public var durable: Bool

    public init(_ name: String, type: String = "topic", durable: Bool = false) {
      self.name = name
      self.type = type
      self.durable = durable
    }
  }

  public struct Queue: Sendable, Hashable {
    public var name: String
    public var durable: Bool
    public var arguments: FieldTable

    public init(_ name: String, durable: Bool = true, arguments: FieldTable = [:]) {
      self.name = name
      self.durable = durable
      self.arguments = arguments
    }
  }

  public struct Binding: Sendable, Hashable {
    public var exchange: String
    public var routingKey: String

    public init(exchange: String, routingKey: String) {
      self.exchange = exchange
      self.routingKey = routingKey
    }
  }

  public var exchanges: [Exchange]
  public var queue: Queue
  public var bindings: [Binding]
  /// Unacknowledged deliveries the broker may have in flight to us (basic.qos).
  public var prefetch: UInt16

  public init(exchanges: [Exchange], queue: Queue, bindings: [Binding], prefetch: UInt16 = 100) {
    self.exchanges = exchanges
    self.queue = queue
    self.bindings = bindings
    self.prefetch = prefetch
  }

  /// Whether `name` is a queue the services' notifiers fill for every listener (`notifications.info` and its
  /// siblings): consuming it steals messages from Ceilometer and whoever else reads it, so Steward refuses it.
  public static func isSharedNotificationQueue(_ name: String, topic: String = "notifications") -> Bool {
    let priorities = ["audit", "critical", "debug", "error", "info", "sample", "warn"]
    return name == topic || priorities.contains { name == "\(topic).\($0)" }
  }

  /// Steward's own durable queue bound to every service's notification topic, so it never competes
  /// with Ceilometer (or anyone else) for `notifications.info`.
  ///
  /// Exchanges that do not exist yet are created the way oslo.messaging would create them, so
  /// `durableExchanges` must match the deployment's `[oslo_messaging_rabbit] amqp_durable_queues`
  /// (default false): an exchange Steward created with other flags makes the service's own declaration
  /// fail with 406 when it starts. `queueArguments` can ask for `"x-queue-type": "quorum"` on clusters.
  public static func notifications(
    queue: String = "steward.notifications", topic: String = "notifications",
    priorities: [String] = ["info"],
    exchanges: [String] = ["nova", "cinder", "neutron", "heat", "keystone", "glance"], durableExchanges: Bool = false,
    queueArguments: FieldTable = [:], prefetch: UInt16 = 100
  ) -> AMQPTopology {
    AMQPTopology(
      exchanges: exchanges.map { Exchange($0, durable: durableExchanges) },
      queue: Queue(queue, arguments: queueArguments),
      bindings: exchanges.flatMap { e in priorities.map { Binding(exchange: e, routingKey: "\(topic).\($0)") } },
      prefetch: prefetch)
  }
}
