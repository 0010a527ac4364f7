import AMQP
import ArgumentParser
import Foundation
import Metering
import StewardCore

extension MeteringCommand {
  struct Status: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Queue lag, messages applied, last event, dead letters, unknown events, last resync's drift.",
      discussion: """
        With a transport URL (--transport-url or $STEWARD_TRANSPORT_URL) the broker is asked, without \
        consuming anything (a passive queue.declare), how many messages wait in Steward's queue and how many \
        consumers it has: 0 consumers means no `metering run` is attached.
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "RabbitMQ URL, amqp(s)://user:pass@host:port/vhost (default: $STEWARD_TRANSPORT_URL).")
    var transportURL: String?
    @Option(help: "Steward's queue.") var queue = "steward.notifications"

    func execute() async throws {
      let stats = try await store.withStore { store in try await store.read { try await $0.stats() } }
      var record: Record = [:]
      if let url = transportURL ?? MeteringCommand.transportURLFromEnvironment {
        let configuration: AMQPConfiguration
        do { configuration = try AMQPConfiguration(url: url) } catch { throw ValidationError("\(error)") }
        record.fields.append((key: "Queue", value: .string(queue)))
        switch await QueueProbe.probe(configuration, queue: queue) {
        case .present(let messages, let consumers):
          record.fields.append((key: "Queue Messages", value: .int(messages)))
          record.fields.append((key: "Queue Consumers", value: .int(consumers)))
        case .absent:
          record.fields.append((key: "Queue Messages", value: .string("queue does not exist")))
        case .unreachable(let reason):
          record.fields.append((key: "Queue Messages", value: .string("broker unreachable: \(reason)")))
        }
      }
      record.fields += [
        (key: "Messages Applied", value: .int(stats.messagesApplied)),
        (key: "Last Event", value: .optional(stats.lastEventTime.map { $0.ISO8601Format() })),
        (key: "Last Applied", value: .optional(stats.lastAppliedAt.map { $0.ISO8601Format() })),
        (key: "Open Intervals", value: .int(stats.openIntervals)),
        (key: "Corrections", value: .int(stats.corrections)),
        (key: "Dead Letters", value: .int(stats.deadLetters)),
        (
          key: "Unknown Events",
          value: .strings(stats.unknownEvents.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        ),
      ]
      if let resync = stats.lastResync {
        record.fields.append((key: "Last Resync", value: .string(resync.finishedAt.ISO8601Format())))
        record.fields.append((key: "Drift Total", value: .int(resync.drift.total)))
        record.fields.append(
          (
            key: "Drift",
            value: .strings(
              resync.drift.kinds.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                "\($0.key.rawValue): vanished=\($0.value.vanished) unseen=\($0.value.unseen) changed=\($0.value.changed) resurrected=\($0.value.resurrected)"
              })
          ))
      } else {
        record.fields.append((key: "Last Resync", value: nil))
      }
      output(Renderer.show(record, format: global.format))
    }
  }
}

/// Steward's queue as the broker sees it, asked with a passive queue.declare (creates nothing, consumes
/// nothing; a missing queue closes the channel with 404).
enum QueueProbe {
  enum Result: Sendable, Equatable {
    case present(messages: Int, consumers: Int)
    case absent
    case unreachable(String)
  }

  static func probe(_ configuration: AMQPConfiguration, queue: String) async -> Result {
    var configuration = configuration
    configuration.connectionName = "steward-metering-status"
    let connection: AMQPConnection
    do {
      connection = try await AMQPConnection.connect(configuration)
    } catch {
      return .unreachable("\(error)")
    }
    defer { Task { try? await connection.close() } }
    do {
      let channel = try await connection.openChannel()
      let info = try await channel.queueDeclare(queue, passive: true)
      return .present(messages: Int(info.messageCount), consumers: Int(info.consumerCount))
    } catch AMQPError.channelClosed(404, _, _, _) {
      return .absent
    } catch {
      return .unreachable("\(error)")
    }
  }
}
