// maildoctor serve: progress of a diagnosis, the copy button, and file drop. No framework.
"use strict";

function watchProgress(list) {
  const source = new EventSource(list.dataset.events);
  source.addEventListener("layer", (message) => {
    const event = JSON.parse(message.data);
    let item = list.querySelector(`li[data-adapter="${CSS.escape(event.adapter)}"]`);
    if (!item) {
      item = document.createElement("li");
      item.dataset.adapter = event.adapter;
      list.appendChild(item);
    }
    item.className = "p-" + event.state;
    const count = event.findings ? ` (${event.findings} findings)` : "";
    item.textContent = `${event.adapter}: ${event.state}${count}`;
  });
  source.addEventListener("done", () => {
    source.close();
    window.location.reload();
  });
}

function copyButton(button) {
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    const status = button.parentElement.querySelector(".copied");
    try {
      await navigator.clipboard.writeText(text);
      if (status) status.textContent = "Copied.";
    } catch (error) {
      if (status) status.textContent = "Select the record and copy it by hand.";
    }
  });
}

function dropZone(label) {
  const input = document.getElementById(label.htmlFor);
  if (!input) return;
  label.addEventListener("dragover", (event) => {
    event.preventDefault();
    label.classList.add("over");
  });
  label.addEventListener("dragleave", () => label.classList.remove("over"));
  label.addEventListener("drop", (event) => {
    event.preventDefault();
    label.classList.remove("over");
    input.files = event.dataTransfer.files;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const progress = document.querySelector("[data-events]");
  if (progress && document.getElementById("status")) watchProgress(progress);
  document.querySelectorAll("button[data-copy]").forEach(copyButton);
  document.querySelectorAll("label.drop").forEach(dropZone);
});
