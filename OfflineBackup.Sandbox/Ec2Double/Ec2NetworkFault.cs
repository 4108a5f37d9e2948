using System.Xml.Linq;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>What goes wrong on the wire, as seen in the field.</summary>
public enum Ec2NetworkFaultKind
{
    /// <summary>The request is accepted and never answered (nor carried out): a black hole.</summary>
    NeverAnswer,

    /// <summary>The connection is reset before anything is carried out.</summary>
    Reset,

    /// <summary>The request is carried out, then answered HTTP 500 InternalError: the answer is lost.</summary>
    ActThenInternalError,

    /// <summary>The request is carried out, then answered HTTP 503 Unavailable.</summary>
    ActThenUnavailable,

    /// <summary>The request is carried out, then the connection is reset.</summary>
    ActThenReset,

    /// <summary>The request is carried out at once and answered after <see cref="Ec2NetworkFault.Delay"/>.</summary>
    ActThenAnswerLate,
}

/// <summary>
/// A wire-level fault for one request. Unlike <see cref="Ec2Fault"/> (an EC2 error answer to a
/// request that was not carried out), the "act then" kinds change the inventory first, as EC2
/// does when only its answer is lost: the case that makes a blind resend a second snapshot.
/// </summary>
public sealed record Ec2NetworkFault(Ec2NetworkFaultKind Kind, TimeSpan Delay = default)
{
    public static Ec2NetworkFault NeverAnswer { get; } = new(Ec2NetworkFaultKind.NeverAnswer);

    public static Ec2NetworkFault Reset { get; } = new(Ec2NetworkFaultKind.Reset);

    public static Ec2NetworkFault ActThenInternalError { get; } = new(Ec2NetworkFaultKind.ActThenInternalError);

    public static Ec2NetworkFault ActThenUnavailable { get; } = new(Ec2NetworkFaultKind.ActThenUnavailable);

    public static Ec2NetworkFault ActThenReset { get; } = new(Ec2NetworkFaultKind.ActThenReset);

    public static Ec2NetworkFault ActThenAnswerLate(TimeSpan delay) => new(Ec2NetworkFaultKind.ActThenAnswerLate, delay);

    /// <summary>Applies the fault around <paramref name="act"/>, the action's own handling; returns the answer to send, if any.</summary>
    internal async Task<XElement> ApplyAsync(Func<Task<XElement>> act, TimeProvider time, CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case Ec2NetworkFaultKind.NeverAnswer:
                // Until the client gives up; the handler logs that as 499.
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException("unreachable");
            case Ec2NetworkFaultKind.Reset:
                throw new Ec2ConnectionResetException(acted: false);
            case Ec2NetworkFaultKind.ActThenInternalError:
                await act().ConfigureAwait(false);
                throw new Ec2FaultException(Ec2Fault.InternalError());
            case Ec2NetworkFaultKind.ActThenUnavailable:
                await act().ConfigureAwait(false);
                throw new Ec2FaultException(new Ec2Fault(503, "Unavailable", "The server is overloaded and can't handle the request."));
            case Ec2NetworkFaultKind.ActThenReset:
                await act().ConfigureAwait(false);
                throw new Ec2ConnectionResetException(acted: true);
            default:
                var answer = await act().ConfigureAwait(false);
                await Task.Delay(Delay, time, cancellationToken).ConfigureAwait(false);
                return answer;
        }
    }
}

/// <summary>Thrown inside the double to drop the connection instead of answering.</summary>
internal sealed class Ec2ConnectionResetException(bool acted) : Exception("connection reset by the EC2 double")
{
    public bool Acted { get; } = acted;
}
