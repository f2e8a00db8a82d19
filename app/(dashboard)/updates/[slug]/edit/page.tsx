import { UpdateForm } from "@/components/updates/update-form";
import { requirePageAction } from "@/lib/auth/session";
import { getUpdate } from "@/lib/updates/catalog";
import { editUpdateAction } from "../../actions";
import { notFoundOn404 } from "@/lib/rollouts/page-helpers";

export const metadata = { title: "Edit update" };

export default async function EditUpdatePage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requirePageAction("update.write");
  const { slug } = await params;
  const detail = await notFoundOn404(getUpdate(actor, slug));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Edit {detail.update.title}</h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">The planned release date changes through a slip on the update&apos;s page, so its history is kept.</p>
      <UpdateForm action={editUpdateAction.bind(null, slug)} defaults={detail.update} editing />
    </div>
  );
}
