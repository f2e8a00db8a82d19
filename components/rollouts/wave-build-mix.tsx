// A wave's build mix (issue #17): which build it targets, how many of its machines run each build,
// and the machines "installed, behind" on an older build than the target (never failures, never done).
import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import type { WaveBuilds } from "@/lib/rollouts/build-mix";

export function WaveBuildMix({ waveName, builds, devicesHref }: { waveName: string; builds: WaveBuilds; devicesHref: string }) {
  const target = builds.target;
  return (
    <div className="mt-2 text-sm" data-testid="wave-build-mix">
      <p>
        Targets build <strong>{target ? `${target.name} (${target.version})` : "—"}</strong>
        {builds.behind > 0 ? (
          <>
            {" · "}
            <Link href={devicesHref} className="underline" data-testid="wave-behind">
              {builds.behind.toLocaleString("en")} installed, behind
            </Link>{" "}
            (an older build: not done, not failed)
          </>
        ) : null}
      </p>
      {builds.mix.length ? (
        <Table caption={`Build mix in ${waveName}`} className="mt-1 max-w-md">
          <thead>
            <tr>
              <Th scope="col">Build</Th>
              <Th scope="col" numeric>
                Installed
              </Th>
              <Th scope="col" numeric>
                Other states
              </Th>
            </tr>
          </thead>
          <tbody>
            {builds.mix.map((m) => (
              <tr key={m.build?.id ?? 0}>
                <Th scope="row">
                  {m.build ? `${m.build.name} (${m.build.version})` : "not known"}
                  {m.build && target && m.build.id < target.id && m.installed ? " · behind" : ""}
                </Th>
                <Td numeric>{m.installed.toLocaleString("en")}</Td>
                <Td numeric>{m.other.toLocaleString("en")}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </div>
  );
}
