using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// Turns one HTTP request into one EC2 Query call: parse, run the request hooks, apply
/// latency and injected faults, run the action, answer XML, and log the call with its outcome.
/// </summary>
internal sealed class Ec2RequestHandler(Ec2Double owner, SnapshotInventory inventory, VolumeInventory volumes, TimeProvider time)
{
    private long _sequence;

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var parameters = await ReadParametersAsync(http.Request, cancellationToken).ConfigureAwait(false);
        var request = new Ec2Request(
            Interlocked.Increment(ref _sequence), time.GetUtcNow(), parameters.GetValueOrDefault("Action", ""), parameters)
        {
            Region = Ec2Regions.SigningRegion(http.Request.Headers.Authorization.ToString()),
        };
        var requestId = Guid.NewGuid().ToString();

        int status;
        Ec2Fault? error = null;
        XElement body;
        try
        {
            body = await AnswerAsync(request, http.Request, requestId, cancellationToken).ConfigureAwait(false);
            status = StatusCodes.Status200OK;
        }
        catch (Ec2FaultException e)
        {
            error = e.Fault;
            status = e.Fault.HttpStatus;
            body = Ec2Xml.Error(e.Fault, requestId);
        }
        catch (Ec2ConnectionResetException e)
        {
            // A fault plan's reset: no answer at all, the connection dropped under the client.
            owner.Calls.Add(new Ec2Call(request, 0, e.Acted ? "ActedThenReset" : "ConnectionReset"));
            http.Abort();
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client hung up (SDK timeout or cancellation): nobody to answer; still logged.
            owner.Calls.Add(new Ec2Call(request, 499, "ClientClosedRequest"));
            return;
        }
        catch (Exception e)
        {
            // A bug in the double or an exception from a test hook: answer like EC2 would, and keep
            // the exception so the test can fail on it instead of seeing a mysterious retry.
            owner.RecordServerError(e);
            error = Ec2Fault.InternalError();
            status = error.HttpStatus;
            body = Ec2Xml.Error(error, requestId);
        }

        owner.Calls.Add(new Ec2Call(request, status, error?.Code));
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml;charset=UTF-8";
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        await http.Response.WriteAsync(Ec2Xml.Serialize(body), cancellationToken).ConfigureAwait(false);
    }

    private async Task<XElement> AnswerAsync(
        Ec2Request request, HttpRequest http, string requestId, CancellationToken cancellationToken)
    {
        if (request.Action.Length == 0)
        {
            throw new Ec2FaultException(Ec2Fault.MissingParameter("Action"));
        }

        if (!http.Headers.ContainsKey("Authorization"))
        {
            throw new Ec2FaultException(Ec2Fault.AuthFailure());
        }

        if (!request.DryRun && owner.OnRequest is { } any)
        {
            await any(request, cancellationToken).ConfigureAwait(false);
        }

        if (request.Action == "CreateSnapshot" && !request.DryRun && owner.OnCreateSnapshot is { } hook)
        {
            await hook(request, cancellationToken).ConfigureAwait(false);
        }

        var latency = owner.Faults.LatencyFor(request.Action);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, cancellationToken).ConfigureAwait(false);
        }

        if (owner.Faults.TakeFault(request.Action) is { } fault)
        {
            throw new Ec2FaultException(fault);
        }

        // Snapshots live in a region: a request signed for a second region added by the test sees that region's.
        var regional = owner.InventoryFor(request.Region) ?? inventory;
        async Task<XElement> ActAsync() => request.Action switch
        {
            "DescribeSnapshots" => DescribeSnapshotsAction.Handle(request, regional, owner.MaxPageSize, requestId),
            "CreateSnapshot" => await CreateSnapshotAction.HandleAsync(request, regional, volumes, owner.Completion, requestId),
            "DeleteSnapshot" => DeleteSnapshotAction.Handle(request, regional, volumes, requestId),
            "DescribeLockedSnapshots" => DescribeLockedSnapshotsAction.Handle(request, regional, requestId),
            "CopySnapshot" => CopySnapshotAction.Handle(request, owner, regional, requestId),
            "CreateVolume" => await CreateVolumeAction.HandleAsync(request, inventory, volumes, requestId),
            "AttachVolume" => await AttachVolumeAction.HandleAsync(request, volumes, requestId),
            "DetachVolume" => await DetachVolumeAction.HandleAsync(request, volumes, requestId),
            "DeleteVolume" => await DeleteVolumeAction.HandleAsync(request, volumes, requestId),
            "DescribeVolumes" => await DescribeVolumesAction.HandleAsync(request, volumes, requestId),
            "CreateTags" => await CreateTagsAction.HandleAsync(request, regional, volumes, requestId),
            _ => throw new Ec2FaultException(Ec2Fault.InvalidAction(request.Action)),
        };

        return owner.Faults.TakeNetworkFault(request) is { } broken
            ? await broken.ApplyAsync(ActAsync, time, cancellationToken).ConfigureAwait(false)
            : await ActAsync().ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, string>> ReadParametersAsync(
        HttpRequest http, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in http.Query)
        {
            parameters[key] = value.ToString();
        }

        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }

        return parameters;
    }
}
